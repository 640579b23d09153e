"""OWL reasoning: HermiT through owlready2 (``infer``) over a reduced input (``reduce``), OWL 2
RL without Java.
"""
