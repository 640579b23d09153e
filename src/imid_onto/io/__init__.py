"""Reading and writing: strict offline RDF, canonical Turtle, the input gate, a user's SPARQL,
the store cache, the SPARQL endpoint client, and cleaning up after killed runs.
"""
