# Cut node-3 off from every other node of the cloud (iptables in its own
# network namespace, both directions) for 40 s. Its Galera node loses
# quorum and leaves the Primary component (non-Primary, so HAProxy's
# clustercheck takes it out), the other two stay Primary, and tokens keep
# coming through the VIP: an isolated node must not take the VIP (see the
# lab's keepalived check). After the heal node-3 rejoins and resyncs by
# itself, with no manual step; the time that takes is recorded.

probe "node-3-non-primary" {
  command {
    command = "mariadb -NBe \"SHOW GLOBAL STATUS LIKE 'wsrep_cluster_status'\""
    nodes   = node.node-3
    timeout = "10s"
  }
  ok = length(regexall("non-Primary", stdout)) > 0
}

probe "majority-primary" {
  command {
    command = <<-EOT
      s=$(mariadb -NBe "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size','wsrep_cluster_status')" | sort | tr '\t\n' '  ')
      echo "$s"
      [ "$s" = "wsrep_cluster_size 2 wsrep_cluster_status Primary " ]
    EOT
    nodes   = nodes("node-1", "node-2")
    timeout = "10s"
  }
}

scenario "galera-partition" {
  cloud          = cloud.openstack
  description    = "A partitioned controller's Galera node goes non-Primary, the majority serves, and it resyncs after the heal"
  seed           = 2
  max_fault_time = "10m"
  timeout        = "10m"

  steady_state {
    probes = [probe.token-issue, probe.galera-synced]
  }

  parallel "partitioned" {
    step "isolate-node-3" {
      partition = network.management
      nodes     = node.node-3
      shape     = "isolate"
      duration  = "40s"
    }

    wait "node-3-leaves-primary" {
      until    = probe.node-3-non-primary.ok
      timeout  = "30s"
      interval = "2s"
    }

    wait "majority-stays-primary" {
      until    = probe.majority-primary.ok
      timeout  = "30s"
      interval = "2s"
    }
  }

  monitor "token-availability" {
    condition = probe.token-issue.ok
    during    = [parallel.partitioned, wait.resynced]
    interval  = "1s"
  }

  wait "resynced" {
    until        = probe.galera-synced.ok
    timeout      = "3m"
    interval     = "2s"
    record       = "time_to_resync"
    measure_from = step.isolate-node-3
  }

  rollback "healed" {
    undo = step.isolate-node-3
  }
}
