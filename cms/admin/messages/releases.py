"""Admin words: releases."""

MESSAGES: dict[str, dict[str, str]] = {
    "releases.title": {"en": "Releases", "fr": "Lots de publication"},
    "releases.new": {"en": "New release", "fr": "Nouveau lot"},
    "releases.name": {"en": "Name", "fr": "Nom"},
    "releases.name_too_long": {
        "en": "The release name is {length} characters long, over {limit}: shorten it.",
        "fr": "Le nom du lot fait {length} caractères, au-delà de {limit} : raccourcissez-le.",
    },
    "releases.name_blank": {
        "en": "A release needs a name: say what it brings together, e.g. “Spring sale”.",
        "fr": "Un lot a besoin d’un nom : dites ce qu’il rassemble, par exemple « Soldes de printemps ».",
    },
    "releases.create": {"en": "Create release", "fr": "Créer le lot"},
    "releases.status.open": {"en": "Open", "fr": "Ouverts"},
    "releases.status.scheduled": {"en": "Scheduled", "fr": "Programmés"},
    "releases.status.published": {"en": "Published", "fr": "Publiés"},
    "releases.items": {"en": "Entries", "fr": "Contenus"},
    "releases.created_by": {"en": "Created by", "fr": "Créé par"},
    "releases.when": {"en": "When", "fr": "Quand"},
    "releases.published_at": {"en": "published {at} UTC", "fr": "publié le {at} UTC"},
    "releases.publish_at": {"en": "goes live {at} UTC", "fr": "mise en ligne le {at} UTC"},
    "releases.back": {"en": "← Releases", "fr": "← Lots de publication"},
    "releases.refused": {"en": "Refused:", "fr": "Refusé :"},
    "releases.concerned": {"en": "Entries concerned:", "fr": "Contenus concernés :"},
    "releases.entry": {"en": "Entry", "fr": "Contenu"},
    "releases.type": {"en": "Type", "fr": "Type"},
    "releases.version": {"en": "Version", "fr": "Version"},
    "releases.entry_status": {"en": "Status", "fr": "Statut"},
    "releases.remove": {"en": "Remove", "fr": "Retirer"},
    "releases.remove_named": {"en": "Remove {title} from the release", "fr": "Retirer {title} du lot"},
    "releases.current": {"en": "current: {version}", "fr": "actuelle : {version}"},
    "releases.empty": {
        "en": "No entries yet: add some below, or from an entry's page.",
        "fr": "Aucun contenu pour l'instant : ajoutez-en ci-dessous, ou depuis la page d'un contenu.",
    },
    "releases.add": {"en": "Add an entry", "fr": "Ajouter un contenu"},
    "releases.version_optional": {
        "en": "Version (empty: the current one)",
        "fr": "Version (vide : la version actuelle)",
    },
    "releases.add_button": {"en": "Add to release", "fr": "Ajouter au lot"},
    "releases.go_live": {"en": "Go live", "fr": "Mise en ligne"},
    "releases.publish_help": {
        "en": "Every entry goes live at its version in one step, or none does.",
        "fr": "Tous les contenus sont mis en ligne à leur version en une seule fois, ou aucun.",
    },
    "releases.publish_now": {"en": "Publish now", "fr": "Publier maintenant"},
    "releases.schedule_at": {"en": "Publish at (UTC)", "fr": "Publier le (UTC)"},
    "releases.utc_help": {
        "en": "The date and time are in UTC (Coordinated Universal Time), not your local time.",
        "fr": "La date et l'heure sont en UTC (temps universel coordonné), pas en heure locale.",
    },
    "releases.schedule": {"en": "Schedule", "fr": "Programmer"},
    "releases.bad_instant": {
        "en": "“{value}” is not a date and time: use the picker (UTC).",
        "fr": "« {value} » n'est pas une date et une heure : utilisez le sélecteur (UTC).",
    },
    "releases.added": {"en": "Entry added.", "fr": "Contenu ajouté."},
    "releases.removed": {"en": "Entry removed.", "fr": "Contenu retiré."},
    "releases.published": {"en": "The release is live.", "fr": "Le lot est en ligne."},
    "releases.scheduled": {"en": "The release is scheduled.", "fr": "Le lot est programmé."},
    "releases.not_ready_title": {"en": "Not publishable yet ({count})", "fr": "Pas encore publiable ({count})"},
    "releases.not_ready_help": {
        "en": "Publishing the release would be refused until these entries are fixed:",
        "fr": "La publication du lot serait refusée tant que ces contenus ne sont pas corrigés :",
    },
    "releases.not_ready_badge": {"en": "not publishable yet", "fr": "pas encore publiable"},
    "releases.all_ready": {
        "en": "Every entry of the release can go live.",
        "fr": "Tous les contenus du lot peuvent être mis en ligne.",
    },
    "releases.added_blocked": {
        "en": "“{title}” was added, but cannot be published yet:",
        "fr": "« {title} » a été ajouté, mais ne peut pas encore être publié :",
    },
    "releases.read_only": {
        "en": "Your role ({role}) can read but not change releases.",
        "fr": "Votre rôle ({role}) permet de lire les lots, pas de les modifier.",
    },
    # Readiness: why a scheduled or released version would not go live (cms/admin/readiness.py)
    "readiness.no_approved": {
        "en": "Version {version} needs review and approval: no version of this entry is approved yet.",
        "fr": "La version {version} doit être relue et approuvée : aucune version de ce contenu "
        "n'est encore approuvée.",
    },
    "readiness.other_approved": {
        "en": "Version {version} needs review and approval: the approved version is {approved}.",
        "fr": "La version {version} doit être relue et approuvée : la version approuvée est la {approved}.",
    },
    "readiness.live_unapproved": {
        "en": "Version {version} is live, but it went live without a reviewer's approval (no version of this "
        "entry is approved): publishing it again is refused until it is reviewed and approved.",
        "fr": "La version {version} est en ligne, mais sans approbation d'un relecteur (aucune version de ce "
        "contenu n'est approuvée) : la publier à nouveau est refusé tant qu'elle n'a pas été relue et approuvée.",
    },
    "readiness.live_other_approved": {
        "en": "Version {version} is live, but the approved version is {approved}: publishing version {version} "
        "again is refused until it is reviewed and approved.",
        "fr": "La version {version} est en ligne, mais la version approuvée est la {approved} : publier à nouveau "
        "la version {version} est refusé tant qu'elle n'a pas été relue et approuvée.",
    },
    "readiness.before_schedule": {
        "en": "Submit it for review and have it approved before {at} UTC, when it is scheduled to go live, "
        "or the scheduled publish will fail.",
        "fr": "Soumettez-la à relecture et faites-la approuver avant le {at} UTC, date de sa mise en ligne "
        "programmée, sinon la publication programmée échouera.",
    },
    "readiness.before_release": {
        "en": "Submit it for review and have it approved before the release “{release}” is published, "
        "or the release will be refused.",
        "fr": "Soumettez-la à relecture et faites-la approuver avant la publication du lot « {release} », "
        "sinon le lot sera refusé.",
    },
    "readiness.before_release_at": {
        "en": "Submit it for review and have it approved before {at} UTC, when the release “{release}” "
        "is scheduled to go live, or the release will fail.",
        "fr": "Soumettez-la à relecture et faites-la approuver avant le {at} UTC, date de mise en ligne "
        "programmée du lot « {release} », sinon le lot échouera.",
    },
    "readiness.state": {
        "en": "The entry is {status}: it cannot be published.",
        "fr": "Le contenu est à l'état « {status} » : il ne peut pas être publié.",
    },
    "readiness.lint_errors.one": {"en": "{count} lint error to fix.", "fr": "{count} erreur de relecture à corriger."},
    "readiness.lint_errors.other": {
        "en": "{count} lint errors to fix.",
        "fr": "{count} erreurs de relecture à corriger.",
    },
}
