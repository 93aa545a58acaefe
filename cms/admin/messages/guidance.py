"""Admin words: fewer dead ends (why an action is unavailable, list columns, pickers) and the keyboard/phone aids."""

MESSAGES: dict[str, dict[str, str]] = {
    # The entry list
    "entries.clear_filters": {"en": "Clear filters", "fr": "Effacer les filtres"},
    "entries.thumbnail": {"en": "Image", "fr": "Image"},
    "entries.price": {"en": "Price", "fr": "Prix"},
    "entries.category": {"en": "Category", "fr": "Catégorie"},
}
MESSAGES |= {
    # Why a workflow action is disabled (cms/admin/action_blockers.py)
    "blocked.already_live": {
        "en": "Version {version} is already live: save a change to publish again.",
        "fr": "La version {version} est déjà en ligne : enregistrez une modification pour publier à nouveau.",
    },
    "blocked.nothing_to_submit": {
        "en": "Nothing to submit: version {version} is the live one. Save a change first.",
        "fr": "Rien à soumettre : la version {version} est celle en ligne. Enregistrez d'abord une modification.",
    },
    "blocked.four_eyes": {
        "en": "You wrote version {version}: another reviewer must approve it.",
        "fr": "Vous avez écrit la version {version} : un autre relecteur doit l'approuver.",
    },
    "blocked.why": {"en": "Why it is unavailable", "fr": "Pourquoi c'est indisponible"},
}
MESSAGES |= {
    # A unique value another entry holds (the error links to it)
    "entries.open_holder": {"en": "Open the entry that has it", "fr": "Ouvrir le contenu qui l'utilise"},
}
MESSAGES |= {
    # The editor's keyboard shortcut and the consistency sheet on phones
    "entries.save_shortcut": {"en": "Ctrl+S", "fr": "Ctrl+S"},
    "entries.save_shortcut_help": {
        "en": "Ctrl+S (Cmd+S on a Mac) saves from anywhere on the page",
        "fr": "Ctrl+S (Cmd+S sur Mac) enregistre depuis n'importe où dans la page",
    },
    "entries.show_feedback": {"en": "Checks", "fr": "Relecture"},
}
MESSAGES |= {
    # The release page's searchable picker
    "releases.search_entries": {"en": "Search entries to add", "fr": "Rechercher des contenus à ajouter"},
}
MESSAGES |= {
    # Uploading from an entry's image field
    "entries.upload_image": {"en": "Upload an image", "fr": "Téléverser une image"},
    "entries.uploading": {"en": "Uploading…", "fr": "Téléversement…"},
    "entries.upload_refused": {"en": "Upload refused", "fr": "Téléversement refusé"},
    "entries.upload_failed": {
        "en": "The upload did not reach the server; try again.",
        "fr": "Le fichier n'a pas atteint le serveur ; réessayez.",
    },
}
MESSAGES |= {
    # A counter over the field's own limit: the save itself is refused, not only publishing
    "feedback.counter.over_max": {
        "en": "over the field's limit by {over}: saving is refused",
        "fr": "dépasse la limite du champ de {over} : l'enregistrement est refusé",
    },
}
