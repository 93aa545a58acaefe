"""The management GraphQL API (`POST /graphql`): entries, versions, workflow, schedules, releases, audit."""
