# Fill RabbitMQ's data directory on node-2 until its free space drops under
# the broker's disk_free_limit (the lab: a 64 MiB tmpfs, limit 48 MB; a
# 24 MiB file is enough). The disk alarm fires, as Prometheus sees it from
# the broker's own metrics, and clears once the file is removed; the time
# the alarm takes to clear is recorded. While the alarm is on, RabbitMQ
# blocks every publisher in the cluster; after it clears the RPC round
# trip through the Block Storage API works again.

probe "disk-alarm-on" {
  prometheus {
    url   = local.prometheus
    query = "max(rabbitmq_alarms_free_disk_space_watermark)"
  }
  ok = error == "" && value == 1
}

probe "disk-alarm-off" {
  prometheus {
    url   = local.prometheus
    query = "max(rabbitmq_alarms_free_disk_space_watermark)"
  }
  ok = error == "" && value == 0
}

scenario "rabbitmq-disk-alarm" {
  cloud          = cloud.openstack
  description    = "A full disk on one broker raises RabbitMQ's disk alarm; it clears when the space is back"
  seed           = 6
  max_fault_time = "10m"
  timeout        = "10m"

  steady_state {
    probes = [probe.disk-alarm-off, probe.volume-rpc]
  }

  parallel "disk-full" {
    step "fill-rabbitmq-data" {
      disk_fill = node.node-2
      path      = "/var/lib/rabbitmq"
      size      = "24M"
      duration  = "40s"
    }

    wait "alarm-fires" {
      until        = probe.disk-alarm-on.ok
      timeout      = "35s"
      interval     = "2s"
      record       = "time_to_alarm"
      measure_from = step.fill-rabbitmq-data
    }
  }

  wait "alarm-clears" {
    until        = probe.disk-alarm-off.ok
    timeout      = "2m"
    interval     = "2s"
    record       = "time_to_clear"
    measure_from = step.fill-rabbitmq-data
  }

  wait "rpc-works" {
    until    = probe.volume-rpc.ok
    timeout  = "2m"
    interval = "3s"
  }

  rollback "space-freed" {
    undo = step.fill-rabbitmq-data
  }
}
