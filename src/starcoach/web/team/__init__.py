"""Team mode's web layer: the door (guard.py), the account, admin and coaching routes, the app factory."""
