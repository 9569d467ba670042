"""What exists and for whom: registration (decorators, routers), the registry of tools,
resources and prompts, the tool models, and the one access gate.
"""
