"""What imid-onto publishes: the release, nanopublications, VoID/DCAT, the mechanism diagram
and the documentation site.
"""
