# Reboot node-1, the controller that holds the VIP, the active Galera
# backend and a third of everything else, the hard way: every process of
# the node dies at once (the lab's nodes have no orderly shutdown) and the
# node boots again. The VIP moves to node-2, node-2 and node-3 keep
# Galera's quorum and RabbitMQ's majority, and tokens keep coming (three
# failed in a row fail the run). node-1 rejoins by itself: Galera by IST
# from the position galera_recovery finds, RabbitMQ into the cluster; the
# time until every controller is back in both clusters is recorded.

scenario "controller-reboot" {
  cloud          = cloud.openstack
  description    = "The cluster survives the hard reboot of a controller, which rejoins Galera and RabbitMQ by itself"
  seed           = 7
  max_fault_time = "10m"
  timeout        = "15m"

  steady_state {
    probes = [probe.token-issue, probe.galera-synced, probe.rabbitmq-cluster, probe.volume-rpc]
  }

  step "reboot-node-1" {
    reboot = node.node-1
  }

  # The reboot step ends when node-1 answers with a new boot identity: its
  # own MariaDB is not back yet, so this is the two survivors on their own.
  wait "survivors-keep-quorum" {
    until    = probe.galera-survivors.ok
    timeout  = "1m"
    interval = "2s"
  }

  wait "node-1-rejoined" {
    until    = probe.galera-synced.ok && probe.rabbitmq-cluster.ok && probe.keystone-backends-all.ok
    timeout  = "5m"
    interval = "3s"
    record   = "time_to_rejoin"
  }

  wait "rpc-works" {
    until    = probe.volume-rpc.ok
    timeout  = "2m"
    interval = "3s"
  }

  monitor "token-availability" {
    condition = probe.token-issue.ok
    during    = [step.reboot-node-1, wait.survivors-keep-quorum, wait.node-1-rejoined]
    interval  = "1s"
  }

  # A reboot undoes itself; the rollback makes sure node-1's control plane
  # runs (`service X start` of a running service does nothing), whatever
  # step a failure stopped at.
  rollback "node-1-services" {
    undo    = step.reboot-node-1
    exec    = node.node-1
    command = "for s in mariadb rabbitmq-server memcached keystone cinder-api cinder-scheduler; do service $s start; done"
  }
}
