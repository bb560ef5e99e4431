#!/usr/bin/env bash
# One command on a fresh Debian machine: install what is missing, then run rdsctl's main job on the
# local target — provision an encrypted `shop` instance, load a small e-commerce sample, show it,
# and analyse its workload.
set -euo pipefail
cd "$(dirname "$0")/.."

# percona-toolkit: the tests compare our digest with pt-query-digest; tmux: the terminal tests.
packages=(mariadb-server mariadb-client mariadb-backup openssl percona-toolkit tmux util-linux)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "quickstart: installing ${missing[*]} (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "quickstart: missing ${missing[*]}. Run this, then re-run bin/quickstart.sh:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
fi
[ -d node_modules ] && [ -f dist/cli/main.js ] || npm ci --no-audit --no-fund
# moto_server: the aws-target tests also run against this independent RDS implementation.
if ! command -v moto_server >/dev/null 2>&1; then
  pip3 install -q 'moto[server]' 2>/dev/null || pip install -q 'moto[server]' 2>/dev/null ||
    echo "quickstart: for the aws-target tests, install moto: pip install 'moto[server]'" >&2
fi

rdsctl() { node bin/rdsctl.js "$@"; }
rdsctl doctor
if ! rdsctl describe shop >/dev/null 2>&1; then
  rdsctl provision shop --manage-master-password --class db.t4g.micro --db-name shop
  echo "quickstart: loading the e-commerce sample into shop …" >&2
  node fixtures/ecommerce/sample-sql.mjs --scale 1 | rdsctl connect shop --shell --database shop
else
  echo "quickstart: instance shop exists already; using it as it is" >&2
fi
rdsctl describe shop
rdsctl connect shop --shell --database shop <<'SQL'
SELECT c.name AS category, COUNT(*) AS products, ROUND(AVG(p.price), 2) AS avg_price
FROM products p JOIN categories c ON c.id = p.category_id GROUP BY c.name ORDER BY products DESC LIMIT 5;
SELECT status, COUNT(*) AS orders, ROUND(SUM(total), 2) AS revenue FROM orders GROUP BY status;
SQL
rdsctl analyze-queries shop --database shop --queries fixtures/ecommerce/workload.sql --top 5
# A short promotion-shaped load (its own `loadtest` database on the same instance), with the checkout check.
rdsctl loadtest prepare shop --scale 1
rdsctl loadtest run shop --duration 10s --concurrency 8
echo "quickstart: done. Try: rdsctl list · rdsctl connect shop --shell · rdsctl local env" >&2
