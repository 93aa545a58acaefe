"""Admin words: webhook subscriptions and their deliveries."""

MESSAGES: dict[str, dict[str, str]] = {
    "webhooks.title": {"en": "Webhooks", "fr": "Webhooks"},
    "webhooks.intro": {
        "en": "A webhook tells another system (a CDN, a search index, a site build) when content changes: each "
        "event is sent to its URL as a POST, signed with the webhook's secret.",
        "fr": "Un webhook prévient un autre système (un CDN, un index de recherche, la génération d'un site) "
        "quand le contenu change : chaque événement est envoyé en POST à son URL, signé avec le secret du webhook.",
    },
    "webhooks.subscriptions": {"en": "Subscriptions", "fr": "Abonnements"},
    "webhooks.none": {"en": "No webhook yet: add one below.", "fr": "Aucun webhook pour l'instant : ajoutez-en un."},
    "webhooks.url": {"en": "URL", "fr": "URL"},
    "webhooks.url_hint": {
        "en": "Where events are sent: an https:// address the CMS can reach.",
        "fr": "Où les événements sont envoyés : une adresse https:// que le CMS peut joindre.",
    },
    "webhooks.description": {"en": "Description", "fr": "Description"},
    "webhooks.description_hint": {
        "en": "Optional: what receives these events, e.g. “CDN purge”.",
        "fr": "Facultatif : ce qui reçoit ces événements, par ex. « purge du CDN ».",
    },
    "webhooks.events": {"en": "Events", "fr": "Événements"},
    "webhooks.content_types": {"en": "Content types", "fr": "Types de contenu"},
    "webhooks.channels": {"en": "Channels", "fr": "Canaux"},
    "webhooks.all.events": {"en": "All events", "fr": "Tous les événements"},
    "webhooks.all.content_types": {"en": "All content types", "fr": "Tous les types de contenu"},
    "webhooks.all.channels": {"en": "All channels", "fr": "Tous les canaux"},
    "webhooks.filters_hint": {
        "en": "Tick nothing in a group to receive all of it.",
        "fr": "Ne cochez rien dans un groupe pour tout en recevoir.",
    },
    "webhooks.state": {"en": "State", "fr": "État"},
    "webhooks.active": {"en": "Active", "fr": "Actif"},
    "webhooks.disabled": {"en": "Disabled", "fr": "Désactivé"},
    "webhooks.reason": {"en": "Reason: {reason}", "fr": "Motif : {reason}"},
    "webhooks.disabled_banner": {
        "en": "This webhook is disabled: nothing is sent to it. Events that happen meanwhile wait, and go out in "
        "order once it is enabled again.",
        "fr": "Ce webhook est désactivé : rien ne lui est envoyé. Les événements survenus entre-temps attendent, "
        "et partent dans l'ordre une fois qu'il est réactivé.",
    },
    "webhooks.open": {"en": "Deliveries and actions of {url}", "fr": "Livraisons et actions de {url}"},
    "webhooks.new": {"en": "Add a webhook", "fr": "Ajouter un webhook"},
    "webhooks.create": {"en": "Add webhook", "fr": "Ajouter le webhook"},
    "webhooks.fix_fields": {
        "en": "The webhook was not added: correct the fields marked below.",
        "fr": "Le webhook n'a pas été ajouté : corrigez les champs signalés ci-dessous.",
    },
    "webhooks.created": {"en": "Webhook to {url} added.", "fr": "Webhook vers {url} ajouté."},
    "webhooks.secret_title": {"en": "Signing secret of {url}", "fr": "Secret de signature de {url}"},
    "webhooks.secret_once": {
        "en": "Copy it now into the receiver's settings: it will not be shown again. If it is lost, rotate the "
        "secret to get a new one.",
        "fr": "Copiez-le maintenant dans les réglages du récepteur : il ne sera plus affiché. S'il est perdu, "
        "renouvelez le secret pour en obtenir un nouveau.",
    },
    "webhooks.secret_label": {"en": "Signing secret", "fr": "Secret de signature"},
    "webhooks.copy": {"en": "Copy", "fr": "Copier"},
    "webhooks.copied": {"en": "Copied", "fr": "Copié"},
    "webhooks.back": {"en": "← Webhooks", "fr": "← Webhooks"},
    "webhooks.webhook_to": {"en": "Webhook to {url}", "fr": "Webhook vers {url}"},
    "webhooks.settings": {"en": "What it receives", "fr": "Ce qu'il reçoit"},
    "webhooks.added_by": {"en": "Added by", "fr": "Ajouté par"},
    "webhooks.actions": {"en": "Actions", "fr": "Actions"},
    "webhooks.disable": {"en": "Disable", "fr": "Désactiver"},
    "webhooks.enable": {"en": "Enable", "fr": "Réactiver"},
    "webhooks.disabled_notice": {
        "en": "Webhook disabled: nothing is sent to it until it is enabled again.",
        "fr": "Webhook désactivé : rien ne lui est envoyé jusqu'à sa réactivation.",
    },
    "webhooks.enabled_notice": {
        "en": "Webhook enabled: the events it missed go out now, in order.",
        "fr": "Webhook réactivé : les événements manqués partent maintenant, dans l'ordre.",
    },
    "webhooks.rotate": {"en": "Rotate the secret", "fr": "Renouveler le secret"},
    "webhooks.rotate_hint": {
        "en": "Makes a new secret at once: the old one stops signing, so give the new one to the receiver.",
        "fr": "Crée aussitôt un nouveau secret : l'ancien ne signe plus rien, donnez donc le nouveau au récepteur.",
    },
    "webhooks.rotated": {
        "en": "New secret made: the old one no longer signs anything.",
        "fr": "Nouveau secret créé : l'ancien ne signe plus rien.",
    },
    "webhooks.delete": {"en": "Delete this webhook…", "fr": "Supprimer ce webhook…"},
    "webhooks.delete_warning": {
        "en": "Deleting the webhook to {url} also deletes its delivery log, and events still due are never sent. "
        "This cannot be undone; disabling it keeps everything.",
        "fr": "Supprimer le webhook vers {url} supprime aussi son journal de livraisons, et les événements en "
        "attente ne seront jamais envoyés. C'est définitif ; le désactiver conserve tout.",
    },
    "webhooks.delete_confirm": {"en": "Yes, delete this webhook", "fr": "Oui, supprimer ce webhook"},
    "webhooks.deleted": {"en": "Webhook to {url} deleted.", "fr": "Webhook vers {url} supprimé."},
    "webhooks.deliveries": {"en": "Recent deliveries", "fr": "Livraisons récentes"},
    "webhooks.deliveries_none": {
        "en": "Nothing sent yet: deliveries appear here when content changes.",
        "fr": "Rien d'envoyé pour l'instant : les livraisons apparaissent ici quand le contenu change.",
    },
    "webhooks.shown_newest": {
        "en": "Up to the {count} newest, newest first. Times are in UTC.",
        "fr": "Jusqu'aux {count} plus récentes, de la plus récente à la plus ancienne. Les heures sont en UTC.",
    },
    "webhooks.event": {"en": "Event", "fr": "Événement"},
    "webhooks.status": {"en": "Status", "fr": "Statut"},
    "webhooks.attempts": {"en": "Attempts", "fr": "Tentatives"},
    "webhooks.last_status": {"en": "Last HTTP status", "fr": "Dernier statut HTTP"},
    "webhooks.latency": {"en": "Latency", "fr": "Latence"},
    "webhooks.answer": {"en": "Answer or error", "fr": "Réponse ou erreur"},
    "webhooks.next_attempt": {"en": "Next attempt", "fr": "Prochaine tentative"},
    "webhooks.delivered_at": {"en": "delivered {at}", "fr": "livrée le {at}"},
    "webhooks.no_answer": {"en": "no answer", "fr": "pas de réponse"},
    "webhooks.attempt_log.one": {"en": "{count} attempt", "fr": "{count} tentative"},
    "webhooks.attempt_log.other": {"en": "{count} attempts", "fr": "{count} tentatives"},
    "webhooks.status.pending": {"en": "Pending", "fr": "En attente"},
    "webhooks.status.delivered": {"en": "Delivered", "fr": "Livrée"},
    "webhooks.status.failed": {"en": "Failed", "fr": "Échouée"},
    "webhooks.redeliver": {"en": "Send again", "fr": "Renvoyer"},
    "webhooks.redeliver_named": {"en": "Send delivery {id} again", "fr": "Renvoyer la livraison {id}"},
    "webhooks.redeliver_failed.one": {
        "en": "Send the {count} failed delivery again",
        "fr": "Renvoyer {count} livraison échouée",
    },
    "webhooks.redeliver_failed.other": {
        "en": "Send the {count} failed deliveries again",
        "fr": "Renvoyer les {count} livraisons échouées",
    },
    "webhooks.redelivered.one": {
        "en": "{count} delivery will be sent again.",
        "fr": "{count} livraison sera renvoyée.",
    },
    "webhooks.redelivered.other": {
        "en": "{count} deliveries will be sent again.",
        "fr": "{count} livraisons seront renvoyées.",
    },
    "webhooks.sent_when_enabled": {
        "en": "They go out once the webhook is enabled again.",
        "fr": "Elles partiront une fois le webhook réactivé.",
    },
    # Event kinds, as cms.events.log names them
    "webhooks.event.entry.published": {"en": "An entry was published", "fr": "Un contenu a été publié"},
    "webhooks.event.entry.unpublished": {"en": "An entry was unpublished", "fr": "Un contenu a été dépublié"},
    "webhooks.event.entry.archived": {"en": "An entry was archived", "fr": "Un contenu a été archivé"},
    "webhooks.event.entry.changed": {
        "en": "An entry's live documents changed (an offer it names)",
        "fr": "Les documents en ligne d'un contenu ont changé (une offre qu'il cite)",
    },
    "webhooks.event.release.published": {"en": "A release was published", "fr": "Un lot de publication a été publié"},
    "webhooks.event.schedule.fired": {
        "en": "A scheduled publication ran",
        "fr": "Une publication programmée s'est exécutée",
    },
    "webhooks.event.offer.started": {"en": "An offer's window opened", "fr": "La période d'une offre a commencé"},
    "webhooks.event.offer.ended": {"en": "An offer's window closed", "fr": "La période d'une offre s'est terminée"},
    "webhooks.event.asset.created": {"en": "A media file was added", "fr": "Un média a été ajouté"},
    "webhooks.event.asset.deleted": {"en": "A media file was deleted", "fr": "Un média a été supprimé"},
    "webhooks.event.campaign.launched": {"en": "A campaign was launched", "fr": "Une campagne a été lancée"},
    "webhooks.event.campaign.ended": {"en": "A campaign ended", "fr": "Une campagne s'est terminée"},
    "webhooks.event.stock.changed": {
        "en": "Stock changed (inventory batch)",
        "fr": "Le stock a changé (lot d'inventaire)",
    },
}
