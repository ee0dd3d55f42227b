# "disconnect management network on nodes with rabbitmq service": the link
# goes down on every rabbitmq node for 30 seconds. An on-target timer brings
# it back even if faultline loses the node (it is reached over that very
# network).

cloud "mq" {
  driver = "universal"

  auth {
    username         = "root"
    private_key_file = "mq_key"
    known_hosts      = "./known_hosts"
  }

  node "mq-1" { address = "198.18.205.11" }
  node "mq-2" { address = "198.18.205.12" }
  node "api-1" { address = "198.18.205.21" }

  network "management" {
    iface = "eth1"
  }

  service "rabbitmq" {
    driver       = "system_service"
    service_name = "rabbitmq-server"
    grep         = "beam.smp"
    port         = 5672
    hosts        = ["mq-1", "mq-2"]
  }
}

scenario "partition-rabbitmq" {
  cloud          = cloud.mq
  seed           = 5
  max_fault_time = "5m"

  step "disconnect" {
    disconnect = network.management
    nodes      = running(service.rabbitmq)
    duration   = "30s"
  }
}
