"""Operating the CMS: `cms doctor` (what is wrong with this install, and how to fix it) and
`cms storage init` (make the bucket or media folder)."""
