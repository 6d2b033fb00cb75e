#!/bin/sh
# Writes OUTPUT_DIR/EmbeddedMigrations.swift holding every .sql file of SQL_DIR, for the
# EmbedMigrations build plugin, which runs it whenever SQL_DIR changes:
#     scripts/embed-migrations.sh SQL_DIR OUTPUT_DIR
# Each file's bytes are stored in base64, so the embedded text is exactly the file's (line
# endings and all) and its checksum matches the one `abctl migrate` records for the file.
set -eu
sql_dir=$1
out_dir=$2
mkdir -p "$out_dir"
target="$out_dir/EmbeddedMigrations.swift"
tmp="$out_dir/.EmbeddedMigrations.swift.tmp"
{
    printf '// Generated from sql/ by scripts/embed-migrations.sh (the EmbedMigrations build plugin); do not edit.\n\n'
    printf 'extension Migration {\n'
    printf '    /// The files of sql/ when this binary was built: file name and base64 of the bytes.\n'
    printf '    static let embeddedFiles: [(fileName: String, base64: String)] = [\n'
    for file in "$sql_dir"/*.sql; do
        [ -e "$file" ] || continue
        printf '        ("%s", "%s"),\n' "$(basename "$file")" "$(base64 -w0 < "$file")"
    done
    printf '    ]\n}\n'
} > "$tmp"
mv "$tmp" "$target"
