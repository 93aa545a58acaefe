"""The admin's words per area, each a `{key: {"en": …, "fr": …}}` dict merged by cms.admin.i18n."""
