"""Triage: how urgent a claim is (priority and SLA due time).

Below both `claims` (intake sets a new claim's priority) and `review` (the queue orders by it, decisions refresh it),
so neither has to import the other for it. Imports only models and db.
"""
