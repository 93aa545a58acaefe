"""Who is asking: users with roles, browser sessions, API tokens with scopes."""
