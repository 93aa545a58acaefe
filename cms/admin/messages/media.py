"""Admin words: media."""

MESSAGES: dict[str, dict[str, str]] = {
    "media.title": {"en": "Media library", "fr": "Médiathèque"},
    "media.upload": {"en": "Upload images", "fr": "Téléverser des images"},
    "media.drop_hint": {
        "en": "Drop JPEG, PNG, WebP or AVIF images here, or choose files.",
        "fr": "Déposez ici des images JPEG, PNG, WebP ou AVIF, ou choisissez des fichiers.",
    },
    "media.choose_files": {"en": "Choose files…", "fr": "Choisir des fichiers…"},
    "media.upload_progress": {"en": "Uploads", "fr": "Téléversements"},
    "media.uploading": {"en": "Uploading", "fr": "Envoi en cours"},
    "media.uploaded": {"en": "Uploaded", "fr": "Téléversé"},
    "media.already_there": {"en": "Already in the library", "fr": "Déjà dans la médiathèque"},
    "media.refused": {"en": "Refused", "fr": "Refusé"},
    "media.open": {"en": "Open", "fr": "Ouvrir"},
    "media.network_error": {
        "en": "The upload did not reach the server; check the connection and try again.",
        "fr": "L'envoi n'a pas atteint le serveur ; vérifiez la connexion et réessayez.",
    },
    "media.search_label": {
        "en": "Search by file name or alt text",
        "fr": "Rechercher par nom de fichier ou texte alternatif",
    },
    "media.count.one": {"en": "{count} image", "fr": "{count} image"},
    "media.count.other": {"en": "{count} images", "fr": "{count} images"},
    "media.matching": {"en": "matching “{q}”", "fr": "correspondant à « {q} »"},
    "media.no_alt": {"en": "no alt text", "fr": "sans texte alternatif"},
    "media.pages": {"en": "Pages", "fr": "Pages"},
    "media.page_of": {"en": "Page {page} of {pages}", "fr": "Page {page} sur {pages}"},
    "media.missing": {"en": "There is no such image.", "fr": "Cette image n'existe pas."},
    "media.back": {"en": "← Media library", "fr": "← Médiathèque"},
    "media.asset": {"en": "Image", "fr": "Image"},
    "media.change_refused": {"en": "Nothing was saved:", "fr": "Rien n'a été enregistré :"},
    "media.focal_point": {"en": "Focal point", "fr": "Point focal"},
    "media.focal_help": {
        "en": "Click the image, or focus it and use the arrow keys (Shift for bigger steps), "
        "to mark what crops must keep; then save.",
        "fr": "Cliquez sur l'image, ou placez-y le focus et utilisez les flèches (Maj pour des pas plus grands), "
        "pour marquer ce que les recadrages doivent garder ; puis enregistrez.",
    },
    "media.focal_picker": {"en": "Focal point picker", "fr": "Choix du point focal"},
    "media.focal_x": {
        "en": "Horizontal position (0 = left, 1 = right)",
        "fr": "Position horizontale (0 = gauche, 1 = droite)",
    },
    "media.focal_y": {"en": "Vertical position (0 = top, 1 = bottom)", "fr": "Position verticale (0 = haut, 1 = bas)"},
    "media.save_focal": {"en": "Save focal point", "fr": "Enregistrer le point focal"},
    "media.focal_numbers": {"en": "give two numbers between 0 and 1", "fr": "indiquez deux nombres entre 0 et 1"},
    "media.focal_saved": {
        "en": "Focal point saved; the crops below use it.",
        "fr": "Point focal enregistré ; les recadrages ci-dessous l'utilisent.",
    },
    "media.crops": {"en": "Crops with this focal point", "fr": "Recadrages avec ce point focal"},
    "media.crop_alt": {"en": "Crop {name}, {width}×{height}", "fr": "Recadrage {name}, {width}×{height}"},
    "media.alt_text": {"en": "Alternative text", "fr": "Texte alternatif"},
    "media.alt_in": {"en": "Alt text in {locale}", "fr": "Texte alternatif en {locale}"},
    "media.save_alt": {"en": "Save alt texts", "fr": "Enregistrer les textes alternatifs"},
    "media.alt_saved": {"en": "Alt texts saved.", "fr": "Textes alternatifs enregistrés."},
    "media.save_both": {
        "en": "Save focal point and alt texts",
        "fr": "Enregistrer le point focal et les textes alternatifs",
    },
    "media.both_saved": {
        "en": "Focal point and alt texts saved; the crops below use the focal point.",
        "fr": "Point focal et textes alternatifs enregistrés ; les recadrages ci-dessous utilisent le point focal.",
    },
    "media.metadata": {"en": "Details", "fr": "Détails"},
    "media.size": {"en": "Size", "fr": "Taille"},
    "media.bytes": {"en": "bytes", "fr": "octets"},
    "media.type": {"en": "Type", "fr": "Type"},
    "media.dimensions": {"en": "Dimensions", "fr": "Dimensions"},
    "media.dominant_color": {"en": "Dominant colour", "fr": "Couleur dominante"},
    "media.uploaded_by": {"en": "Uploaded by", "fr": "Téléversé par"},
    "media.where_used": {"en": "Where it is used", "fr": "Où elle est utilisée"},
    "media.in_versions": {"en": "versions {versions}", "fr": "versions {versions}"},
    "media.unused": {
        "en": "No entry uses this image (current or published versions).",
        "fr": "Aucun contenu n'utilise cette image (versions courantes ou publiées).",
    },
    "media.delete": {"en": "Delete this image", "fr": "Supprimer cette image"},
    "media.delete_warning": {
        "en": "{name} and every size made from it will be removed for good. No entry uses it.",
        "fr": "{name} et toutes les tailles qui en ont été tirées seront supprimées définitivement. "
        "Aucun contenu ne l'utilise.",
    },
    "media.delete_confirm": {"en": "Yes, delete it", "fr": "Oui, la supprimer"},
    "media.delete_blocked": {
        "en": "It cannot be deleted while the entries above use it (their current or published version): "
        "take it out of them first.",
        "fr": "Elle ne peut pas être supprimée tant que les contenus ci-dessus l'utilisent (version courante ou "
        "publiée) : retirez-la d'abord.",
    },
    "media.delete_refused": {
        "en": "Nothing was deleted: entries use this image.",
        "fr": "Rien n'a été supprimé : des contenus utilisent cette image.",
    },
    "media.deleted": {"en": "Image {name} deleted.", "fr": "Image {name} supprimée."},
    "media.read_only": {
        "en": "Your role ({role}) can read but not upload or change media.",
        "fr": "Votre rôle ({role}) permet de consulter les médias, pas d'en ajouter ni de les modifier.",
    },
}
