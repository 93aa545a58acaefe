"""Admin words: audit log."""

MESSAGES: dict[str, dict[str, str]] = {
    "audit.title": {"en": "Audit log", "fr": "Journal d'audit"},
    "audit.own_only": {
        "en": "You see your own actions only; admins see everyone's.",
        "fr": "Vous ne voyez que vos propres actions ; les admins voient celles de tous.",
    },
    "audit.filters": {"en": "Filter events", "fr": "Filtrer les événements"},
    "audit.actor": {"en": "Actor (email or token name)", "fr": "Auteur (e-mail ou nom du jeton)"},
    "audit.action": {"en": "Action", "fr": "Action"},
    "audit.entry_id": {"en": "Entry id", "fr": "Identifiant du contenu"},
    "audit.since": {"en": "From (day)", "fr": "Du (jour)"},
    "audit.until": {"en": "Until (day, included)", "fr": "Au (jour, inclus)"},
    "audit.clear": {"en": "Clear filters", "fr": "Effacer les filtres"},
    "audit.utc": {"en": "Days and times are UTC.", "fr": "Les jours et heures sont en UTC."},
    "audit.bad_date": {
        "en": "A date filter is not a date: use the date picker (YYYY-MM-DD).",
        "fr": "Un filtre de date n'est pas une date : utilisez le sélecteur (AAAA-MM-JJ).",
    },
    "audit.count": {"en": "{count} events", "fr": "{count} événements"},
    "audit.when": {"en": "When (UTC)", "fr": "Quand (UTC)"},
    "audit.entry": {"en": "Entry", "fr": "Contenu"},
    "audit.history": {"en": "its history", "fr": "son historique"},
    "audit.versions": {"en": "Versions", "fr": "Versions"},
    "audit.details": {"en": "Details", "fr": "Détails"},
    "audit.show": {"en": "Show", "fr": "Afficher"},
    "audit.pages": {"en": "Pages", "fr": "Pages"},
    "audit.page_of": {"en": "Page {page} of {pages}", "fr": "Page {page} sur {pages}"},
}
