"""What the knowledge base is: the claim model (``claims``: one ``Claim`` type, its reader and
rules), the knowledge base (``kb``) and external identifiers (``identifiers``).
"""
