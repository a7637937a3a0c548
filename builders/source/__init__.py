"""Stage 1, source: read a PDBbind folder into complexes (structure, bonds, pocket, H-bonds) and assign splits."""
