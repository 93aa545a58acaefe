"""Admin words: the entry editor's live feedback (lint panel, budget counters, previews per channel)."""

MESSAGES: dict[str, dict[str, str]] = {
    # Lint panel
    "feedback.lint.title": {"en": "Consistency check", "fr": "Contrôle de cohérence"},
    "feedback.lint.score": {"en": "Score {score}/100", "fr": "Score {score}/100"},
    "feedback.lint.counts": {"en": "{errors}, {warnings}.", "fr": "{errors}, {warnings}."},
    "feedback.lint.clean": {"en": "No problems.", "fr": "Aucun problème."},
    "feedback.lint.form_first": {
        "en": "Fix the form’s problems first; the consistency check ran on the values that could be read.",
        "fr": "Corrigez d’abord les problèmes du formulaire ; la vérification de cohérence a porté sur les valeurs "
        "qui ont pu être lues.",
    },
    "feedback.lint.blocks": {
        "en": "Errors block publishing: fix them first.",
        "fr": "Les erreurs empêchent la publication : corrigez-les d’abord.",
    },
    "feedback.lint.errors": {"en": "Errors", "fr": "Erreurs"},
    "feedback.lint.warnings": {"en": "Warnings", "fr": "Avertissements"},
    "feedback.lint.error": {"en": "Error", "fr": "Erreur"},
    "feedback.lint.warning": {"en": "Warning", "fr": "Avertissement"},
    "feedback.lint.all_channels": {"en": "all channels", "fr": "tous les canaux"},
    "feedback.lint.suggestion": {"en": "Suggestion:", "fr": "Suggestion :"},
    # Budget counters
    "feedback.counter.over_hard": {
        "en": "over the limit by {over}: publishing is refused",
        "fr": "dépasse la limite de {over} : publication refusée",
    },
    "feedback.counter.over_soft": {
        "en": "only {soft} visible before truncation",
        "fr": "seuls {soft} visibles avant troncature",
    },
    "feedback.counter.from_override": {"en": "counts this channel’s override", "fr": "compte la variante de ce canal"},
    "feedback.counter.from_base": {"en": "inherited from the base value", "fr": "hérité de la valeur de base"},
    "feedback.counter.from_locale": {"en": "falls back to {locale}", "fr": "repli sur {locale}"},
    "feedback.counter.method.graphemes": {
        "en": "Counted in characters as people see them (an emoji is one)",
        "fr": "Compté en caractères tels qu’on les voit (un emoji compte pour un)",
    },
    "feedback.counter.method.utf16": {
        "en": "Counted in UTF-16 units (an emoji can count for two or more)",
        "fr": "Compté en unités UTF-16 (un emoji peut compter pour deux ou plus)",
    },
    "feedback.counter.method.x_weighted": {
        "en": "Counted as X counts: links 23, emoji and CJK characters 2",
        "fr": "Compté comme X : liens 23, emoji et caractères CJC 2",
    },
    # Previews
    "feedback.preview.title": {"en": "Preview per channel", "fr": "Aperçu par canal"},
    "feedback.preview.editing": {"en": "editing", "fr": "en cours de modification"},
    "feedback.preview.empty": {"en": "Nothing to show yet.", "fr": "Rien à afficher pour l’instant."},
    "feedback.preview.no_image": {"en": "No image", "fr": "Pas d’image"},
    "feedback.preview.inbox": {"en": "Inbox row", "fr": "Ligne de boîte de réception"},
    "feedback.preview.sender_default": {"en": "Your brand", "fr": "Votre marque"},
    "feedback.preview.email_body": {"en": "E-mail body", "fr": "Corps de l’e-mail"},
    "feedback.preview.more": {"en": "more", "fr": "plus"},
    "feedback.preview.fold": {
        "en": "(the first {soft} are visible before “more”)",
        "fr": "(les {soft} premiers sont visibles avant « plus »)",
    },
    "feedback.preview.cut": {
        "en": "cut here: at most {hard} are served",
        "fr": "coupé ici : {hard} au plus sont diffusés",
    },
}
