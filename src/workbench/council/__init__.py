"""The citizen council (conseil de développement): members, composition, draws, meetings,
avis and their follow-up."""
