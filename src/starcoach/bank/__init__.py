"""Questions, competencies and the bundled bank; readers and writers for bank file formats."""
