#!/bin/sh
# Create the secret files docker-compose.yml mounts as Docker secrets, once.
# Existing files are kept, so running it again is safe (and never changes a password
# PostgreSQL has already been initialised with).
#
#   sh deploy/make-secrets.sh            # writes deploy/secrets/
#   sh deploy/make-secrets.sh DIR        # writes DIR/ instead
#
# Files: secret_key (Django SECRET_KEY), postgres_password (for the postgres service) and
# database_url (the platform's DATABASE_URL, which embeds that password).
set -eu

dir=${1:-"$(dirname "$0")/secrets"}
# Compose mounts file secrets as bind mounts that keep the host's owner and mode, and
# the containers read them as other users (uid 10001 for the platform, 999 for
# PostgreSQL). So the files are world-readable and the directory is private instead:
# inside a container only the file's own mode counts.
mkdir -p "$dir"
chmod 700 "$dir"
umask 022

# Hex only: no character needs escaping in a URL or a shell.
random_hex() {
    od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

if [ ! -s "$dir/secret_key" ]; then
    random_hex 48 >"$dir/secret_key"
    echo "created $dir/secret_key"
fi
if [ ! -s "$dir/postgres_password" ]; then
    random_hex 24 >"$dir/postgres_password"
    echo "created $dir/postgres_password"
fi
if [ ! -s "$dir/database_url" ]; then
    # Host `postgres`, user and database `conference`: as in docker-compose.yml.
    printf 'postgres://conference:%s@postgres:5432/conference' "$(cat "$dir/postgres_password")" >"$dir/database_url"
    echo "created $dir/database_url"
fi
