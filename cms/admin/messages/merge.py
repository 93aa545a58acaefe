"""Admin words: a save based on an older version (the three-way merge), unsaved edits and local drafts."""

MESSAGES: dict[str, dict[str, str]] = {
    "merge.merged_notice.one": {
        "en": "Version {number} was saved while you were editing; its change to {fields} was merged with yours.",
        "fr": "La version {number} a été enregistrée pendant que vous modifiiez ; "
        "sa modification de {fields} a été fusionnée avec les vôtres.",
    },
    "merge.merged_notice.other": {
        "en": "Version {number} was saved while you were editing; its changes to {fields} were merged with yours.",
        "fr": "La version {number} a été enregistrée pendant que vous modifiiez ; "
        "ses modifications de {fields} ont été fusionnées avec les vôtres.",
    },
    "merge.title": {
        "en": "{author} saved version {number} while you were editing: nothing was saved yet",
        "fr": "{author} a enregistré la version {number} pendant que vous modifiiez : rien n'est encore enregistré",
    },
    "merge.help": {
        "en": "You both changed the fields below. For each one, keep your value or take theirs, then save: "
        "your choices go on top of version {number}. The rest of the form already holds your changes and theirs.",
        "fr": "Vous avez tous deux modifié les champs ci-dessous. Pour chacun, gardez votre valeur ou prenez la leur, "
        "puis enregistrez : vos choix s'appliquent par-dessus la version {number}. Le reste du formulaire contient "
        "déjà vos modifications et les leurs.",
    },
    "merge.merged_already": {
        "en": "Already merged into the form from their version: {fields}.",
        "fr": "Déjà repris de leur version dans le formulaire : {fields}.",
    },
    "merge.unresolved": {
        "en": "Choose “Keep mine” or “Take theirs” for every field below before saving.",
        "fr": "Choisissez « Garder la mienne » ou « Prendre la leur » pour chaque champ ci-dessous avant "
        "d'enregistrer.",
    },
    "merge.field": {"en": "Field", "fr": "Champ"},
    "merge.theirs": {"en": "Theirs (version {number})", "fr": "La leur (version {number})"},
    "merge.yours": {"en": "Yours (in the form)", "fr": "La vôtre (dans le formulaire)"},
    "merge.base": {"en": "Before both (version {number})", "fr": "Avant vous deux (version {number})"},
    "merge.choice": {"en": "Keep", "fr": "Conserver"},
    "merge.keep_mine": {"en": "Keep mine", "fr": "Garder la mienne"},
    "merge.take_theirs": {"en": "Take theirs", "fr": "Prendre la leur"},
    "merge.empty": {"en": "(empty)", "fr": "(vide)"},
    "merge.edit_field": {"en": "Edit in the form", "fr": "Modifier dans le formulaire"},
    "merge.choice_for": {"en": "Choice for {field}", "fr": "Choix pour {field}"},
    "merge.save_choices": {"en": "Save with these choices", "fr": "Enregistrer avec ces choix"},
    "merge.draft_older": {
        "en": "They were made on version {number}: saving them merges them with the changes saved since.",
        "fr": "Elles portent sur la version {number} : les enregistrer les fusionne avec les modifications "
        "enregistrées depuis.",
    },
}
