"""The procedure catalog: agencies, fields, procedures and their components; search."""
