"""Associations: directory and observatory, subsidy requests, allocation committee, open data."""
