"""Writers: table, JSON, CSV, XLSX, PNG, Markdown, HTML, DOCX; one atomic file writer."""
