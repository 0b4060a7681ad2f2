"""Skills: the framework, evidence, maintained levels, career paths and goals."""
