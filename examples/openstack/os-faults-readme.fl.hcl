# The os-faults README's own sentences, as `say` steps, against this cloud.
# Where the README names something this cloud does not have, the sentence
# keeps its shape and names what the cloud has instead:
#   "kill nova-api service on one node"      -> cinder-api (no Nova here)
#   "Reboot one node with mysql"             -> mariadb (Debian's name)
#   "Disconnect management network on nodes with rabbitmq service"
#                                            -> on one node with rabbitmq-server
#                                               service, for 10 seconds
#   "Connect storage network on node-1.domain.tld node"
#                                            -> management network, node-1.lab
# The README's disconnect takes every RabbitMQ node's only link down at
# once (here: every controller) and leaves it down until someone connects
# it. Held for 10 seconds on all three, Keystone on one controller once
# stayed wedged afterwards (its four uWSGI threads asleep, requests piling
# up in the listen queue) until it was restarted; the library keeps the
# one-node form so that its CI run is deterministic, and checks at the end
# that every Keystone serves again. Not here: the container sentences (this
# cloud runs no containers) and "Reset node-2.domain.tld node" (reset is a
# power action: this cloud declares no power driver).
# After each fault the cloud must come back: Keystone through the VIP,
# Galera synced, RabbitMQ whole.

scenario "os-faults-readme" {
  cloud          = cloud.openstack
  description    = "The os-faults README's sentences against an HA control plane"
  seed           = 8
  max_fault_time = "10m"
  timeout        = "20m"

  steady_state {
    probes = [probe.token-issue, probe.galera-synced, probe.rabbitmq-cluster]
  }

  step "restart-keystone" {
    say = "Restart Keystone service"
  }

  wait "keystone-answers" {
    until    = probe.token-issue.ok
    timeout  = "2m"
    interval = "2s"
    record   = "keystone_restart"
  }

  step "kill-cinder-api" {
    say = "kill cinder-api service on one node"
  }

  step "reboot-mariadb-node" {
    say = "Reboot one node with mariadb"
  }

  wait "rebooted-node-rejoined" {
    until    = probe.galera-synced.ok && probe.rabbitmq-cluster.ok
    timeout  = "5m"
    interval = "3s"
    record   = "time_to_rejoin"
  }

  step "disconnect-rabbitmq-node" {
    say = "Disconnect management network on one node with rabbitmq-server service for 10 seconds"
  }

  step "connect-node-1" {
    say = "Connect management network on node-1.lab node"
  }

  wait "cloud-whole-again" {
    until    = probe.token-issue.ok && probe.keystone-backends-all.ok && probe.galera-synced.ok && probe.rabbitmq-cluster.ok
    timeout  = "5m"
    interval = "3s"
    record   = "time_to_recover"
  }

  rollback "cinder-api-running" {
    undo = step.kill-cinder-api
  }
}
