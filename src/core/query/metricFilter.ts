// CloudWatch metric filters and alarms for the actionable triggers decided by one record (their configured ports),
// as CloudFormation YAML or Terraform: one space-delimited filter pattern per protocol group, naming every field of
// the log in its own order, with tests on action, protocol and dstport. PURE: no vscode, no DOM, no Node built-ins.
//
// What a pattern cannot say: the reply exclusion (a reply from a service port to an ephemeral one is no attempt) is
// only needed for configured ports in the ephemeral range, and a pattern cannot test a port against the service
// list: such filters say so in a comment. Port scans need a window: no metric filter.

import type { AnalysisConfig } from '../analysis/config';
import { TRIGGERS, type PortTriggerId, type TriggerDef } from '../analysis/triggers';
import { isEphemeralPort } from '../ports';
import type { FlowFormat } from '../types';
import { singleRecord } from './plan';
import { checkInt, QueryError } from './quote';
import { columnName } from './sql';

/** One metric filter: the trigger it counts, its protocol group and its pattern. */
export interface MetricFilterDef {
  readonly trigger: TriggerDef;
  /** e.g. "tcp", "udp", "tcp-udp" */
  readonly group: string;
  readonly pattern: string;
  /** The field tests, by field name (what the pattern says, as data: tests read it). */
  readonly tests: Readonly<Record<string, readonly string[]>>;
  readonly notes: readonly string[];
}

/** The triggers that get a metric filter: actionable, one record decides, ports configured. */
export function metricFilterTriggers(): TriggerDef[] {
  return TRIGGERS.filter((t) => t.actionable && singleRecord(t) && t.when.ports === 'configured');
}

/** A space-delimited pattern: every field of the log in order, with the tests on some. */
export function spacePattern(format: FlowFormat, tests: Readonly<Record<string, readonly string[]>>): string {
  const slots = format.fields.map((f) => {
    const name = columnName(f);
    const t = tests[f];
    return t === undefined ? name : t.map((v) => `${name}=${v}`).join(' || ');
  });
  return `[${slots.join(', ')}]`;
}

export function metricFilters(format: FlowFormat, config: AnalysisConfig): MetricFilterDef[] {
  for (const f of ['action', 'protocol', 'dstport']) {
    if (!format.fields.includes(f))
      throw new QueryError(`metric filters need the ${f} field, which this log format lacks`);
  }
  const out: MetricFilterDef[] = [];
  for (const def of metricFilterTriggers()) {
    const rule = config.ports[def.id as PortTriggerId];
    const tcp = rule.tcp.map((p) => checkInt(`ports.${def.id}.tcp`, p, 0, 65535));
    const udp = rule.udp.map((p) => checkInt(`ports.${def.id}.udp`, p, 0, 65535));
    const groups: [string, number[], number[]][] = [];
    if (tcp.length > 0 && tcp.length === udp.length && tcp.every((p, i) => p === udp[i]))
      groups.push(['tcp-udp', [6, 17], tcp]);
    else {
      if (tcp.length > 0) groups.push(['tcp', [6], tcp]);
      if (udp.length > 0) groups.push(['udp', [17], udp]);
    }
    for (const [group, protos, ports] of groups) {
      const tests: Record<string, string[]> = {
        action: ['"REJECT"'],
        protocol: protos.map(String),
        dstport: ports.map(String),
      };
      const notes: string[] = [];
      const ephemeral = ports.filter((p) => isEphemeralPort(p));
      if (ephemeral.length > 0) {
        notes.push(
          `Ports ${ephemeral.join(', ')} lie in the ephemeral range: the analyzer does not count replies (from a service port) to them, a metric filter cannot tell them apart and counts them too.`,
        );
      }
      const pattern = spacePattern(format, tests);
      if (pattern.length > 1024) {
        notes.push(`The pattern is ${pattern.length} characters; CloudWatch allows 1024: split the port list.`);
      }
      out.push({ trigger: def, group, pattern, tests, notes });
    }
  }
  return out;
}

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

const NAMESPACE = 'VPCFlow';

function yamlSingle(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function hclString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '$${').replace(/%\{/g, '%%{')}"`;
}

export function metricFilterDocument(
  format: FlowFormat,
  config: AnalysisConfig,
  flavor: 'cloudformation' | 'terraform',
  only?: TriggerDef,
): string {
  if (only !== undefined && !metricFilterTriggers().includes(only)) {
    throw new QueryError(
      `${only.id}: no metric filter (only the actionable triggers one record decides: ${metricFilterTriggers()
        .map((t) => t.id)
        .join(
          ', ',
        )}); ${only.flags.needsState ? 'a port scan needs a window of records' : 'use Athena, Insights or DuckDB'}`,
    );
  }
  const filters = metricFilters(format, config).filter((f) => only === undefined || f.trigger === only);
  const triggers = [...new Set(filters.map((f) => f.trigger))];
  const fmt = `Log format: ${format.fields.join(' ')}`;
  if (flavor === 'cloudformation') {
    const out: string[] = [
      "AWSTemplateFormatVersion: '2010-09-09'",
      `Description: VPC flow-log trigger alarms (metric filters in the log's field order)`,
      `# ${fmt}`,
      '# Not expressible as a metric filter: port-scan (a window of records), and the MITRE rows built on it.',
      'Parameters:',
      '  LogGroupName:',
      '    Type: String',
      '    Description: The CloudWatch Logs group the VPC flow logs are delivered to',
      '  AlarmTopicArn:',
      '    Type: String',
      '    Description: SNS topic notified when a trigger fires',
      'Resources:',
    ];
    for (const f of filters) {
      out.push(
        `  ${pascal(f.trigger.id)}${pascal(f.group)}Filter:`,
        ...f.notes.map((n) => `    # ${n}`),
        '    Type: AWS::Logs::MetricFilter',
        '    Properties:',
        '      LogGroupName: !Ref LogGroupName',
        `      FilterName: vpcflow-${f.trigger.id}-${f.group}`,
        `      FilterPattern: ${yamlSingle(f.pattern)}`,
        '      MetricTransformations:',
        `        - MetricNamespace: ${NAMESPACE}`,
        `          MetricName: ${f.trigger.id}`,
        "          MetricValue: '1'",
        '          DefaultValue: 0',
      );
    }
    for (const t of triggers) {
      out.push(
        `  ${pascal(t.id)}Alarm:`,
        '    Type: AWS::CloudWatch::Alarm',
        '    Properties:',
        `      AlarmName: vpcflow-${t.id}`,
        `      AlarmDescription: ${yamlSingle(t.name)}`,
        `      Namespace: ${NAMESPACE}`,
        `      MetricName: ${t.id}`,
        '      Statistic: Sum',
        '      Period: 300',
        '      EvaluationPeriods: 1',
        '      Threshold: 1',
        '      ComparisonOperator: GreaterThanOrEqualToThreshold',
        '      TreatMissingData: notBreaching',
        '      AlarmActions:',
        '        - !Ref AlarmTopicArn',
      );
    }
    return out.join('\n') + '\n';
  }
  const out: string[] = [
    `# VPC flow-log trigger alarms (metric filters in the log's field order)`,
    `# ${fmt}`,
    '# Not expressible as a metric filter: port-scan (a window of records), and the MITRE rows built on it.',
    '',
    'variable "log_group_name" {',
    '  type        = string',
    '  description = "The CloudWatch Logs group the VPC flow logs are delivered to"',
    '}',
    '',
    'variable "alarm_topic_arn" {',
    '  type        = string',
    '  description = "SNS topic notified when a trigger fires"',
    '}',
  ];
  const tf = (s: string): string => s.replace(/[^A-Za-z0-9]+/g, '_');
  for (const f of filters) {
    out.push(
      '',
      ...f.notes.map((n) => `# ${n}`),
      `resource "aws_cloudwatch_log_metric_filter" "${tf(f.trigger.id)}_${tf(f.group)}" {`,
      `  name           = "vpcflow-${f.trigger.id}-${f.group}"`,
      '  log_group_name = var.log_group_name',
      `  pattern        = ${hclString(f.pattern)}`,
      '',
      '  metric_transformation {',
      `    name          = "${f.trigger.id}"`,
      `    namespace     = "${NAMESPACE}"`,
      '    value         = "1"',
      '    default_value = "0"',
      '  }',
      '}',
    );
  }
  for (const t of triggers) {
    out.push(
      '',
      `resource "aws_cloudwatch_metric_alarm" "${tf(t.id)}" {`,
      `  alarm_name          = "vpcflow-${t.id}"`,
      `  alarm_description   = ${hclString(t.name)}`,
      `  namespace           = "${NAMESPACE}"`,
      `  metric_name         = "${t.id}"`,
      '  statistic           = "Sum"',
      '  period              = 300',
      '  evaluation_periods  = 1',
      '  threshold           = 1',
      '  comparison_operator = "GreaterThanOrEqualToThreshold"',
      '  treat_missing_data  = "notBreaching"',
      '  alarm_actions       = [var.alarm_topic_arn]',
      '}',
    );
  }
  return out.join('\n') + '\n';
}
