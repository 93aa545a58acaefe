"""The editorial workflow: writing through permissions, review, publishing, schedules, releases, audit."""
