"""Delivery: one GraphQL schema per channel, reading the projections that publishing stored."""
