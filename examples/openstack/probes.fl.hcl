# Probes the OpenStack scenarios of this directory share. They ask the
# cloud what an operator asks it: a token through the VIP (HAProxy),
# Galera's and RabbitMQ's own view of their clusters, and an RPC round trip
# through the Block Storage API. The endpoints are the cloud file's
# `locals`; the command probes run over SSH on the nodes they name.

variable "admin_password" {
  type        = string
  sensitive   = true
  default     = ""
  description = "Keystone's admin password (the lab: ADMIN_PASSWORD in .oslab/openstack/secrets.env); pass it as FAULTLINE_VAR_admin_password"
}

# `openstack token issue`, as an HTTP client sees it through HAProxy on the
# VIP. A single failed token is a blip; three in a row are an outage.
probe "token-issue" {
  http {
    url     = "${local.keystone}/auth/tokens"
    method  = "POST"
    headers = { "Content-Type" = "application/json" }
    body = jsonencode({ auth = {
      identity = { methods = ["password"], password = { user = {
        name = "admin", domain = { name = "Default" }, password = var.admin_password
      } } }
      scope = { project = { name = "admin", domain = { name = "Default" } } }
    } })
    timeout = "10s"
  }
  ok                = status == 201
  failure_threshold = 3
}

# HAProxy (on every controller; Prometheus scrapes each) has all three
# Keystone backends in rotation: every Keystone answers its health check.
probe "keystone-backends-all" {
  prometheus {
    url   = local.prometheus
    query = "min(haproxy_backend_active_servers{proxy=\"keystone\"})"
  }
  ok = error == "" && value == 3
}

# Every controller's Galera node is in a Primary component of 3 and Synced.
probe "galera-synced" {
  command {
    command = <<-EOT
      s=$(mariadb -NBe "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size','wsrep_cluster_status','wsrep_local_state_comment')" | sort | tr '\t\n' '  ')
      echo "$s"
      [ "$s" = "wsrep_cluster_size 3 wsrep_cluster_status Primary wsrep_local_state_comment Synced " ]
    EOT
    nodes   = with_label("role", "controller")
    timeout = "10s"
  }
}

# node-2 and node-3 form a Primary component of two (node-1 is away).
probe "galera-survivors" {
  command {
    command = <<-EOT
      s=$(mariadb -NBe "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size','wsrep_cluster_status')" | sort | tr '\t\n' '  ')
      echo "$s"
      # Primary: quorum kept. Size 2 once Galera has evicted the rebooting
      # node, 3 when it rejoined (IST) before the survivors' evict timeout
      case $s in "wsrep_cluster_size "[23]" wsrep_cluster_status Primary ") ;; *) exit 1 ;; esac
    EOT
    nodes   = nodes("node-2", "node-3")
    timeout = "10s"
  }
}

# Every broker runs, sees all three and no partition (rabbitmqctl's view).
probe "rabbitmq-cluster" {
  command {
    command = <<-EOT
      rabbitmqctl -q cluster_status --formatter json | python3 -c '
      import json, sys
      s = json.load(sys.stdin)
      print(len(s["running_nodes"]), "running,", len(s["partitions"]), "partitioned")
      sys.exit(0 if len(s["running_nodes"]) == 3 and not s["partitions"] else 1)'
    EOT
    nodes   = with_label("role", "controller")
    timeout = "20s"
  }
}

# An RPC round trip: cinder-api asks a cinder-scheduler over RabbitMQ for
# its pools (`cinder get-pools`), from the monitoring node through the VIP
# with the admin credentials kept on the node.
probe "volume-rpc" {
  command {
    command = ". /root/admin-openrc && timeout 25 cinder get-pools >/dev/null && echo rpc ok"
    nodes   = with_label("role", "monitor")
    timeout = "30s"
  }
}

# Token validation (GET /v3/auth/tokens) of a token the monitoring node
# keeps for half an hour: prints the HTTP status and the seconds it took.
probe "token-validation" {
  command {
    command = local.validate_token
    nodes   = with_label("role", "monitor")
    timeout = "10s"
  }
  ok = try(tonumber(regex("^200 ([0-9.]+)", trimspace(stdout))[0]) < 1, false)
}

locals {
  # Issue a token (if the kept one is missing or older than 30 min), then
  # validate it: "<status> <seconds>". The password goes to curl on stdin.
  validate_token = <<-EOT
    . /root/admin-openrc
    f=/tmp/faultline-probe-token
    if [ ! -s "$f" ] || [ -n "$(find "$f" -mmin +30)" ]; then
      printf '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"%s","domain":{"name":"%s"},"password":"%s"}}},"scope":{"project":{"name":"%s","domain":{"name":"%s"}}}}}' \
        "$OS_USERNAME" "$OS_USER_DOMAIN_NAME" "$OS_PASSWORD" "$OS_PROJECT_NAME" "$OS_PROJECT_DOMAIN_NAME" |
        curl -sf -m 60 -D - -o /dev/null -H 'Content-Type: application/json' -d @- "$OS_AUTH_URL/auth/tokens" |
        sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: *//p' | tr -d '\r' >"$f"
    fi
    t=$(cat "$f")
    curl -s -m 90 -o /dev/null -w '%%{http_code} %%{time_total}\n' -H "X-Auth-Token: $t" -H "X-Subject-Token: $t" "$OS_AUTH_URL/auth/tokens"
  EOT
}
