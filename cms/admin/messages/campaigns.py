"""Admin words: campaigns (their preview on every channel at an instant, launching and cancelling)."""

MESSAGES: dict[str, dict[str, str]] = {
    "nav.campaigns": {"en": "Campaigns", "fr": "Campagnes"},
    "campaigns.title": {"en": "Campaigns", "fr": "Campagnes"},
    "campaigns.back": {"en": "← Campaigns", "fr": "← Campagnes"},
    "campaigns.new": {"en": "New campaign", "fr": "Nouvelle campagne"},
    "campaigns.edit": {"en": "Edit the campaign", "fr": "Modifier la campagne"},
    "campaigns.open_page": {
        "en": "Every channel at the launch, and launching",
        "fr": "Tous les canaux au lancement, et le lancement",
    },
    "campaigns.none": {
        "en": "No campaigns yet: create one, then preview and launch it here.",
        "fr": "Aucune campagne pour l'instant : créez-en une, puis prévisualisez-la et lancez-la ici.",
    },
    "campaigns.name": {"en": "Campaign", "fr": "Campagne"},
    "campaigns.window": {"en": "Window", "fr": "Période"},
    "campaigns.window_value": {"en": "{launch} → {end}", "fr": "{launch} → {end}"},
    "campaigns.state": {"en": "Launch", "fr": "Lancement"},
    "campaigns.state.none": {"en": "Not launched", "fr": "Non lancée"},
    "campaigns.state.scheduled": {"en": "Scheduled", "fr": "Programmée"},
    "campaigns.state.launched": {"en": "Live", "fr": "En ligne"},
    "campaigns.state.ended": {"en": "Ended", "fr": "Terminée"},
    "campaigns.state.cancelled": {"en": "Cancelled", "fr": "Annulée"},
    "campaigns.state.failed": {"en": "Launch failed", "fr": "Échec du lancement"},
    "campaigns.failed": {
        "en": "The launch failed when it ran: {error}. Fix the cause, then launch again.",
        "fr": "Le lancement a échoué à son exécution : {error}. Corrigez la cause, puis relancez.",
    },
    "campaigns.at": {
        "en": "Show every channel as it will be at (UTC)",
        "fr": "Montrer chaque canal tel qu'il sera le (UTC)",
    },
    "campaigns.at_help": {
        "en": "By default the launch. Scheduled versions, releases and offer windows are resolved as publishing"
        " will resolve them.",
        "fr": "Par défaut le lancement. Les versions programmées, les lots et les périodes des offres sont résolus"
        " comme la publication les résoudra.",
    },
    "campaigns.show": {"en": "Show", "fr": "Afficher"},
    "campaigns.bad_instant": {
        "en": "“{value}” is not an instant: pick a date and a time (UTC).",
        "fr": "« {value} » n'est pas un instant : choisissez une date et une heure (UTC).",
    },
    "campaigns.as_of": {"en": "As it will be on {at}", "fr": "Tel que ce sera le {at}"},
    "campaigns.simulated": {
        "en": "The campaign is not launched yet: this is what launching it now would show then.",
        "fr": "La campagne n'est pas encore lancée : voici ce que son lancement maintenant montrerait alors.",
    },
    "campaigns.findings": {"en": "Consistency across channels", "fr": "Cohérence entre les canaux"},
    "campaigns.no_findings": {
        "en": "Same offer facts everywhere, no channel over budget, nothing expired at this instant.",
        "fr": "Les mêmes faits d'offre partout, aucun canal hors budget, rien d'expiré à cet instant.",
    },
    "campaigns.severity.error": {"en": "Error", "fr": "Erreur"},
    "campaigns.severity.warning": {"en": "Warning", "fr": "Avertissement"},
    "campaigns.every_channel": {"en": "every channel", "fr": "tous les canaux"},
    "campaigns.channels": {"en": "Channels side by side", "fr": "Les canaux côte à côte"},
    "campaigns.locale": {"en": "In {locale}", "fr": "En {locale}"},
    "campaigns.nothing_shown": {"en": "Shows nothing of the campaign.", "fr": "Ne montre rien de la campagne."},
    "campaigns.missing": {"en": "Not shown: {titles}", "fr": "Non montré : {titles}"},
    "campaigns.role.campaign": {"en": "Campaign", "fr": "Campagne"},
    "campaigns.role.offer": {"en": "Offer", "fr": "Offre"},
    "campaigns.role.messages": {"en": "Message", "fr": "Message"},
    "campaigns.role.products": {"en": "Product", "fr": "Produit"},
    "campaigns.role.tutorials": {"en": "Tutorial", "fr": "Tutoriel"},
    "campaigns.go_live": {"en": "Launch", "fr": "Lancement"},
    "campaigns.launch_help": {
        "en": "Schedules one release at the launch with every pending version of the campaign; at the end, what"
        " it took live is unpublished on every channel.",
        "fr": "Programme un lot au lancement avec chaque version en attente de la campagne ; à la fin, ce qu'il a"
        " mis en ligne est dépublié sur tous les canaux.",
    },
    "campaigns.launch": {"en": "Launch the campaign", "fr": "Lancer la campagne"},
    "campaigns.cancel": {"en": "Cancel the launch", "fr": "Annuler le lancement"},
    "campaigns.launched": {
        "en": "Launch scheduled: every channel switches on {launch} and stops on {end}.",
        "fr": "Lancement programmé : tous les canaux basculent le {launch} et s'arrêtent le {end}.",
    },
    "campaigns.cancelled": {"en": "The launch is cancelled.", "fr": "Le lancement est annulé."},
    "campaigns.refused": {"en": "Refused:", "fr": "Refusé :"},
    "campaigns.release": {"en": "Its release", "fr": "Son lot"},
    "campaigns.read_only": {
        "en": "Your role ({role}) may preview campaigns but not launch them.",
        "fr": "Votre rôle ({role}) permet de prévisualiser les campagnes, pas de les lancer.",
    },
}
