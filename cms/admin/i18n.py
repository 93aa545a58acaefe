"""The admin's own words, in English and French; the editor picks the language, the browser suggests it.

Every string a person reads in the admin comes from `MESSAGES` through `t(key)` in templates (or
`Translator.__call__` in Python). A test fails when a key lacks a language or a template uses an
unknown key. Pages add their keys to `MESSAGES` in their own section.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

LANGUAGES = ("en", "fr")
LANGUAGE_COOKIE = "cms_admin_lang"

MESSAGES: dict[str, dict[str, str]] = {
    # Layout and navigation
    "app.name": {"en": "CMS admin", "fr": "Administration CMS"},
    "nav.skip": {"en": "Skip to content", "fr": "Aller au contenu"},
    "nav.main": {"en": "Main navigation", "fr": "Navigation principale"},
    "nav.dashboard": {"en": "Dashboard", "fr": "Tableau de bord"},
    "nav.entries": {"en": "Entries", "fr": "Contenus"},
    "nav.media": {"en": "Media", "fr": "Médias"},
    "nav.releases": {"en": "Releases", "fr": "Lots de publication"},
    "nav.audit": {"en": "Audit log", "fr": "Journal d'audit"},
    "nav.users": {"en": "Users & tokens", "fr": "Utilisateurs et jetons"},
    "nav.webhooks": {"en": "Webhooks", "fr": "Webhooks"},
    "nav.language": {"en": "Language", "fr": "Langue"},
    "nav.signed_in_as": {"en": "Signed in as", "fr": "Connecté en tant que"},
    "nav.sign_out": {"en": "Sign out", "fr": "Se déconnecter"},
    "common.save": {"en": "Save", "fr": "Enregistrer"},
    "common.cancel": {"en": "Cancel", "fr": "Annuler"},
    "common.search": {"en": "Search", "fr": "Rechercher"},
    "common.filter": {"en": "Filter", "fr": "Filtrer"},
    "common.next": {"en": "Next page", "fr": "Page suivante"},
    "common.previous": {"en": "Previous page", "fr": "Page précédente"},
    "common.none": {"en": "Nothing here yet.", "fr": "Rien pour l'instant."},
    "common.all": {"en": "All", "fr": "Tous"},
    "common.yes": {"en": "Yes", "fr": "Oui"},
    "common.no": {"en": "No", "fr": "Non"},
    "common.error": {"en": "Something went wrong", "fr": "Une erreur est survenue"},
    "common.forbidden": {
        "en": "Your role does not allow this page.",
        "fr": "Votre rôle ne permet pas d'accéder à cette page.",
    },
    "common.role_refused": {
        "en": "Your role ({role}) does not allow this change.",
        "fr": "Votre rôle ({role}) ne permet pas cette modification.",
    },
    "common.not_found": {"en": "Not found", "fr": "Introuvable"},
    "error.back": {"en": "Back to the list", "fr": "Retour à la liste"},
    "error.not_found": {
        "en": "There is nothing at this address: it may have been deleted, or the link is wrong.",
        "fr": "Il n'y a rien à cette adresse : le contenu a peut-être été supprimé, ou le lien est erroné.",
    },
    "error.unexpected": {
        "en": "The admin hit an unexpected error, which has been logged. Reload the page to see what was saved.",
        "fr": "L'administration a rencontré une erreur inattendue, journalisée. Rechargez la page pour voir "
        "ce qui a été enregistré.",
    },
    "error.unavailable_title": {"en": "Temporarily unavailable", "fr": "Indisponible pour le moment"},
    "error.unavailable": {
        "en": "The database or the media storage cannot be reached. Nothing was changed: try again in a few seconds.",
        "fr": "La base de données ou le stockage des médias est injoignable. Rien n'a été modifié : réessayez "
        "dans quelques secondes.",
    },
    # A session that ended while a page was open (admin.js shows these)
    "session.ended": {"en": "Your session has ended.", "fr": "Votre session a expiré."},
    "session.sign_in_new_tab": {"en": "Sign in again in a new tab", "fr": "Reconnectez-vous dans un nouvel onglet"},
    "session.text_stays": {
        "en": "; your text stays here — then save again.",
        "fr": " ; votre texte reste ici — enregistrez ensuite à nouveau.",
    },
    "session.request_failed": {
        "en": "The server could not answer this change; your text is still here. Try again in a moment.",
        "fr": "Le serveur n'a pas pu répondre à cette modification ; votre texte est toujours là. "
        "Réessayez dans un instant.",
    },
    "error.refused_title": {"en": "Request refused ({status})", "fr": "Requête refusée ({status})"},
    "error.refused": {
        "en": "The admin cannot answer this request as it was sent. Go back and use the page's links and buttons.",
        "fr": "L'administration ne peut pas répondre à cette requête telle qu'elle a été envoyée. Revenez en "
        "arrière et utilisez les liens et boutons de la page.",
    },
    "error.method": {
        "en": "This address only takes a form sent from its page; it cannot be opened directly. "
        "Go back to the page you came from.",
        "fr": "Cette adresse ne reçoit qu'un formulaire envoyé depuis sa page ; elle ne peut pas être ouverte "
        "directement. Revenez à la page d'où vous venez.",
    },
    # Statuses of entries
    "status.draft": {"en": "Draft", "fr": "Brouillon"},
    "status.in_review": {"en": "In review", "fr": "En relecture"},
    "status.approved": {"en": "Approved", "fr": "Approuvé"},
    "status.published": {"en": "Published", "fr": "Publié"},
    "status.unpublished": {"en": "Unpublished", "fr": "Dépublié"},
    "status.archived": {"en": "Archived", "fr": "Archivé"},
    # Sign in
    "login.title": {"en": "Sign in", "fr": "Connexion"},
    "login.email": {"en": "Email", "fr": "E-mail"},
    "login.password": {"en": "Password", "fr": "Mot de passe"},
    "login.submit": {"en": "Sign in", "fr": "Se connecter"},
    "login.wrong": {"en": "Wrong email or password.", "fr": "E-mail ou mot de passe incorrect."},
    "login.throttled": {
        "en": "Too many failed sign-ins: try again in {seconds} seconds, or ask an admin to reset your password.",
        "fr": "Trop d'échecs de connexion : réessayez dans {seconds} secondes, ou demandez à un admin"
        " de réinitialiser votre mot de passe.",
    },
    "login.expired": {
        "en": "The sign-in form expired. Please try again.",
        "fr": "Le formulaire de connexion a expiré. Veuillez réessayer.",
    },
    "login.signed_out": {"en": "You are signed out.", "fr": "Vous êtes déconnecté."},
    # Dashboard
    "dashboard.title": {"en": "Dashboard", "fr": "Tableau de bord"},
    "dashboard.my_drafts": {"en": "My drafts", "fr": "Mes brouillons"},
    "dashboard.in_review": {"en": "Waiting for review", "fr": "En attente de relecture"},
    "dashboard.scheduled": {"en": "Scheduled", "fr": "Programmé"},
    "dashboard.releases": {"en": "Open releases", "fr": "Lots ouverts"},
    "dashboard.lint_errors": {"en": "Entries with lint errors", "fr": "Contenus avec erreurs de relecture"},
    "dashboard.new_entry": {"en": "New entry", "fr": "Nouveau contenu"},
    # Content locales by name in the admin's language (a locale not named here shows its code)
    "locale.en": {"en": "English", "fr": "anglais"},
    "locale.fr": {"en": "French", "fr": "français"},
    "locale.de": {"en": "German", "fr": "allemand"},
    "locale.es": {"en": "Spanish", "fr": "espagnol"},
    "locale.it": {"en": "Italian", "fr": "italien"},
    "locale.nl": {"en": "Dutch", "fr": "néerlandais"},
    "locale.pt": {"en": "Portuguese", "fr": "portugais"},
}


def _merge_areas() -> None:
    from cms.admin.messages import (
        audit,
        campaigns,
        entries,
        feedback,
        guidance,
        media,
        merge,
        releases,
        users,
        webhooks,
    )

    for area in (entries, feedback, media, merge, releases, users, webhooks, audit, campaigns, guidance):
        clashes = MESSAGES.keys() & area.MESSAGES.keys()
        assert not clashes, f"message keys defined twice: {sorted(clashes)}"
        MESSAGES.update(area.MESSAGES)


_merge_areas()


class Translator:
    """`t(key, **values)` in one language; an unknown key shows itself (and a test catches it)."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else LANGUAGES[0]

    def __call__(self, key: str, **values: Any) -> str:
        message = MESSAGES.get(key, {}).get(self.language, key)
        return message.format(**values) if values else message

    def locale_name(self, code: str) -> str:
        """A content locale named in this language (`fr` -> "French" / "français"), else its code in capitals."""
        return MESSAGES.get(f"locale.{code}", {}).get(self.language) or code.upper()

    def plural(self, key: str, count: int, **values: Any) -> str:
        """`<key>.one` for one thing (zero too, in French), else `<key>.other`; both get `{count}`."""
        singular = count == 1 or (count == 0 and self.language == "fr")
        return self(f"{key}.{'one' if singular else 'other'}", count=count, **values)


def admin_language(request: Request[Any, Any, Any]) -> str:
    """The language chosen in the admin (cookie), else the browser's preferred of ours, else English."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    accepted = request.headers.get("accept-language", "")
    for part in accepted.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return LANGUAGES[0]
