/**
 * A description of the machine and runtimes for the report.
 */
import { cpus, totalmem, type as osType, release } from 'node:os';
import { jsNodeFlags } from './peers.js';

/** CPU, cores, memory, OS and Node version. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  /** Flags the JS engines' Node processes run with (absent in reports written before they were recorded). */
  readonly nodeFlags?: readonly string[];
  readonly date: string;
}

/** The machine this process runs on. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${osType()} ${release()}`,
    node: process.version,
    nodeFlags: jsNodeFlags,
    date: new Date().toISOString(),
  };
}
