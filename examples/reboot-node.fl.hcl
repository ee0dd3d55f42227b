# "reboot one node with mysql": reboot a node that hosts a service, then
# wait until the database answers again.

cloud "galera" {
  driver = "universal"

  auth {
    username         = "root"
    private_key_file = "galera_key"
    known_hosts      = "./known_hosts"
  }

  node "db-1" { address = "198.18.204.11" }
  node "db-2" { address = "198.18.204.12" }
  node "db-3" { address = "198.18.204.13" }

  service "mysql" {
    driver       = "system_service"
    service_name = "mariadb"
    grep         = "mariadbd"
    port         = 3306
    hosts        = ["db-1", "db-2", "db-3"]
  }
}

probe "mysql-port" {
  tcp {
    address = "198.18.204.11:3306"
    timeout = "2s"
  }
}

scenario "reboot-one-mysql-node" {
  cloud = cloud.galera
  seed  = 4

  step "reboot" {
    reboot = one(running(service.mysql))
  }

  wait "mysql-back" {
    until    = probe.mysql-port.ok
    timeout  = "5m"
    interval = "2s"
    record   = "time_to_recover"
  }
}
