# VPC flow-log trigger alarms (metric filters in the log's field order)
# Log format: version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status
# Not expressible as a metric filter: port-scan (a window of records), and the MITRE rows built on it.

variable "log_group_name" {
  type        = string
  description = "The CloudWatch Logs group the VPC flow logs are delivered to"
}

variable "alarm_topic_arn" {
  type        = string
  description = "SNS topic notified when a trigger fires"
}

resource "aws_cloudwatch_log_metric_filter" "ssh_blocked_tcp" {
  name           = "vpcflow-ssh-blocked-tcp"
  log_group_name = var.log_group_name
  pattern        = "[version, vpc_id, subnet_id, instance_id, interface_id, account_id, type, srcaddr, dstaddr, srcport, dstport=22, pkt_srcaddr, pkt_dstaddr, protocol=6, bytes, packets, start, end, action=\"REJECT\", tcp_flags, log_status]"

  metric_transformation {
    name          = "ssh-blocked"
    namespace     = "VPCFlow"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_log_metric_filter" "rdp_blocked_tcp_udp" {
  name           = "vpcflow-rdp-blocked-tcp-udp"
  log_group_name = var.log_group_name
  pattern        = "[version, vpc_id, subnet_id, instance_id, interface_id, account_id, type, srcaddr, dstaddr, srcport, dstport=3389, pkt_srcaddr, pkt_dstaddr, protocol=6 || protocol=17, bytes, packets, start, end, action=\"REJECT\", tcp_flags, log_status]"

  metric_transformation {
    name          = "rdp-blocked"
    namespace     = "VPCFlow"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_log_metric_filter" "telnet_blocked_tcp" {
  name           = "vpcflow-telnet-blocked-tcp"
  log_group_name = var.log_group_name
  pattern        = "[version, vpc_id, subnet_id, instance_id, interface_id, account_id, type, srcaddr, dstaddr, srcport, dstport=23, pkt_srcaddr, pkt_dstaddr, protocol=6, bytes, packets, start, end, action=\"REJECT\", tcp_flags, log_status]"

  metric_transformation {
    name          = "telnet-blocked"
    namespace     = "VPCFlow"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_log_metric_filter" "smb_blocked_tcp" {
  name           = "vpcflow-smb-blocked-tcp"
  log_group_name = var.log_group_name
  pattern        = "[version, vpc_id, subnet_id, instance_id, interface_id, account_id, type, srcaddr, dstaddr, srcport, dstport=445 || dstport=139, pkt_srcaddr, pkt_dstaddr, protocol=6, bytes, packets, start, end, action=\"REJECT\", tcp_flags, log_status]"

  metric_transformation {
    name          = "smb-blocked"
    namespace     = "VPCFlow"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_log_metric_filter" "smb_blocked_udp" {
  name           = "vpcflow-smb-blocked-udp"
  log_group_name = var.log_group_name
  pattern        = "[version, vpc_id, subnet_id, instance_id, interface_id, account_id, type, srcaddr, dstaddr, srcport, dstport=137 || dstport=138, pkt_srcaddr, pkt_dstaddr, protocol=17, bytes, packets, start, end, action=\"REJECT\", tcp_flags, log_status]"

  metric_transformation {
    name          = "smb-blocked"
    namespace     = "VPCFlow"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_log_metric_filter" "database_blocked_tcp" {
  name           = "vpcflow-database-blocked-tcp"
  log_group_name = var.log_group_name
  pattern        = "[version, vpc_id, subnet_id, instance_id, interface_id, account_id, type, srcaddr, dstaddr, srcport, dstport=1433 || dstport=1434 || dstport=1521 || dstport=1522 || dstport=1526 || dstport=2483 || dstport=2484 || dstport=3306 || dstport=3307 || dstport=5432 || dstport=5433 || dstport=6379 || dstport=6380 || dstport=27017 || dstport=27018 || dstport=27019 || dstport=9200 || dstport=9300 || dstport=9042 || dstport=9160 || dstport=5984 || dstport=11211 || dstport=8529 || dstport=8086 || dstport=7474 || dstport=7687 || dstport=26257 || dstport=28015 || dstport=3050, pkt_srcaddr, pkt_dstaddr, protocol=6, bytes, packets, start, end, action=\"REJECT\", tcp_flags, log_status]"

  metric_transformation {
    name          = "database-blocked"
    namespace     = "VPCFlow"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_metric_alarm" "ssh_blocked" {
  alarm_name          = "vpcflow-ssh-blocked"
  alarm_description   = "AWS VPC: SSH Blocked (tcp/22)"
  namespace           = "VPCFlow"
  metric_name         = "ssh-blocked"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "rdp_blocked" {
  alarm_name          = "vpcflow-rdp-blocked"
  alarm_description   = "AWS VPC: RDP Blocked (3389)"
  namespace           = "VPCFlow"
  metric_name         = "rdp-blocked"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "telnet_blocked" {
  alarm_name          = "vpcflow-telnet-blocked"
  alarm_description   = "AWS VPC: Telnet Blocked (tcp/23)"
  namespace           = "VPCFlow"
  metric_name         = "telnet-blocked"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "smb_blocked" {
  alarm_name          = "vpcflow-smb-blocked"
  alarm_description   = "AWS VPC: SMB Blocked (SMB/NetBIOS 445, 137–139; ransomware indicator)"
  namespace           = "VPCFlow"
  metric_name         = "smb-blocked"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "database_blocked" {
  alarm_name          = "vpcflow-database-blocked"
  alarm_description   = "AWS VPC: Database Access Blocked (MSSQL 1433/1434, Oracle 1521, MySQL 3306, PostgreSQL 5432, Redis 6379, MongoDB 27017–27019, Elasticsearch 9200/9300, Cassandra 9042, CouchDB 5984, Memcached 11211, and more)"
  namespace           = "VPCFlow"
  metric_name         = "database-blocked"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
}
