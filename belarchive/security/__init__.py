"""Secrets: passphrases (Argon2id), users' signing keys (Ed25519) and sign-in throttling.

Qt-free and storage-free: services decide where the results are kept.
"""
