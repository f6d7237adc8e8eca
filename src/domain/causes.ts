// The cause catalogue of spec/causes.md: codes, categories, names and remedies in zh-CN and English.
// The engine, the API and the dashboard all read this one table.

export type Locale = 'zh-CN' | 'en';
export type Text = Record<Locale, string>;

export const CATEGORIES = {
  hw: { 'zh-CN': '硬件故障', en: 'Hardware' },
  sw: { 'zh-CN': '软件故障', en: 'Software' },
  net: { 'zh-CN': '网络问题', en: 'Network' },
  acct: { 'zh-CN': '账户、额度与操作', en: 'Account, limits, operators' },
  provider: { 'zh-CN': '系统维护与上游', en: 'Provider and host' },
  env: { 'zh-CN': '环境因素', en: 'Environment' },
  sec: { 'zh-CN': '安全故障', en: 'Security' },
} as const satisfies Record<string, Text>;
export type Category = keyof typeof CATEGORIES;

export type TerminalStatus = 'ok' | 'degraded' | 'faulty' | 'offline' | 'locked';
export const TERMINAL_STATUSES: readonly TerminalStatus[] = ['ok', 'degraded', 'faulty', 'offline', 'locked'];

export interface CauseInfo {
  code: CauseCode;
  category: Category;
  name: Text;
  /** The status a terminal has when this cause is its main diagnosis. */
  status: Exclude<TerminalStatus, 'ok'>;
  /** Whether fixing it usually needs a person on site (a work order). */
  needsWorkOrder: boolean;
  /** Whether the trouble is outside the terminal (nothing to fix on it). */
  external: boolean;
  remedy: { 'zh-CN': string[]; en: string[] };
}

type Entry = Omit<CauseInfo, 'code'>;

function cause(
  category: Category,
  zh: string,
  en: string,
  status: CauseInfo['status'],
  remedyZh: string[],
  remedyEn: string[],
  opts: { workOrder?: boolean; external?: boolean } = {},
): Entry {
  return {
    category,
    name: { 'zh-CN': zh, en },
    status,
    needsWorkOrder: opts.workOrder ?? false,
    external: opts.external ?? false,
    remedy: { 'zh-CN': remedyZh, en: remedyEn },
  };
}

const CATALOGUE = {
  'hw.chip_reader': cause('hw', '插卡读卡器故障', 'chip (insert) reader fault', 'faulty',
    ['清洁插卡槽', '用一张确认完好的卡测试', '仍然失败：开工单更换读卡器'],
    ['Clean the card slot', 'Test with a known good card', 'If it still fails: open a work order to replace the reader'],
    { workOrder: true }),
  'hw.contactless_reader': cause('hw', '挥卡(非接)读卡器故障', 'contactless (tap) reader fault', 'faulty',
    ['让终端远离金属物品和干扰源', '重启终端', '仍然失败：更换天线或读卡器'],
    ['Move the terminal away from metal and sources of interference', 'Restart the terminal', 'If it still fails: replace the antenna or reader'],
    { workOrder: true }),
  'hw.magstripe_reader': cause('hw', '刷卡器故障', 'magstripe reader fault', 'faulty',
    ['清洁磁头', '仍然失败：更换刷卡器'],
    ['Clean the magnetic head', 'If it still fails: replace the magstripe reader'],
    { workOrder: true }),
  'hw.printer': cause('hw', '打印机故障', 'printer fault', 'degraded',
    ['让打印机冷却', '清除卡纸', '仍然失败：开工单维修打印机'],
    ['Let the printer cool down', 'Clear the paper jam', 'If it still fails: open a work order'],
    { workOrder: true }),
  'hw.printer_paper': cause('hw', '打印纸用尽', 'out of paper / cover open', 'degraded',
    ['装入打印纸', '合上打印机盖'],
    ['Load a paper roll', 'Close the printer cover']),
  'hw.screen': cause('hw', '屏幕故障', 'screen fault', 'faulty',
    ['重启终端', '仍然黑屏：开工单更换屏幕或排线'],
    ['Restart the terminal', 'If the screen stays blank: open a work order to replace the screen or its cable'],
    { workOrder: true }),
  'hw.keypad': cause('hw', '键盘故障', 'keypad fault', 'faulty',
    ['清洁键盘', '仍然失灵：开工单维修'],
    ['Clean the keypad', 'If keys still do not respond: open a work order'],
    { workOrder: true }),
  'hw.battery': cause('hw', '电池老化', 'battery worn out', 'degraded',
    ['保持终端连接充电器', '更换电池'],
    ['Keep the terminal on its charger', 'Replace the battery'],
    { workOrder: true }),
  'hw.power': cause('hw', '无法开机', 'does not power on', 'offline',
    ['检查电源适配器和插座', '仍无法开机：开工单上门维修'],
    ['Check the power adapter and the socket', 'If it still does not power on: open a work order for a field visit'],
    { workOrder: true }),
  'sw.crash_loop': cause('sw', '应用反复崩溃', 'payment app keeps crashing', 'faulty',
    ['备份数据', '清除缓存', '重新安装支付应用', '最后一步：恢复出厂设置'],
    ['Back up the data', 'Clear the cache', 'Reinstall the payment app', 'As the last step: factory reset']),
  'sw.app_conflict': cause('sw', '第三方应用冲突', 'conflict with a third-party app', 'faulty',
    ['卸载最近新装的第三方应用', '重启终端'],
    ['Uninstall the recently added third-party app', 'Restart the terminal']),
  'sw.outdated': cause('sw', '软件版本过旧', 'software too old', 'degraded',
    ['推送升级（升级活动）'],
    ['Push the update (a campaign)']),
  'sw.update_failed': cause('sw', '升级失败', 'update failed to install', 'degraded',
    ['检查网络和存储空间', '重试升级', '仍然失败：回滚到原版本'],
    ['Check the network and free storage', 'Retry the update', 'If it still fails: roll back']),
  'sw.incompatible_update': cause('sw', '升级后不兼容', 'update incompatible with this terminal', 'faulty',
    ['暂停升级活动', '回滚受影响的终端'],
    ['Halt the campaign', 'Roll back the affected terminals']),
  'sw.key_error': cause('sw', '终端密钥异常', 'terminal keys missing or invalid', 'faulty',
    ['重新下载密钥（签到/密钥注入）', '今后重置前务必先备份'],
    ['Download the keys again (sign-on / key injection)', 'Never reset again before backing up']),
  'sw.storage_full': cause('sw', '存储空间不足', 'storage full', 'degraded',
    ['清除缓存和旧日志', '卸载不用的应用'],
    ['Clear the cache and old logs', 'Remove unused apps']),
  'sw.clock_skew': cause('sw', '系统时间错误', 'device clock wrong', 'faulty',
    ['同步系统时间', '检查时钟(RTC)电池'],
    ['Synchronise the time', 'Check the RTC battery']),
  'net.offline': cause('net', '终端离线', 'terminal offline, cause unknown', 'offline',
    ['重启终端和路由器', '检查网线和SIM卡', '仍然离线：安排上门'],
    ['Restart the terminal and the router', 'Check the cables and the SIM card', 'If it stays offline: a field visit'],
    { workOrder: true }),
  'net.weak_signal': cause('net', '信号弱', 'weak signal', 'degraded',
    ['移动终端或天线位置', '改用Wi-Fi或有线网络', '更换运营商'],
    ['Move the terminal or its antenna', 'Switch to Wi-Fi or ethernet', 'Change carrier']),
  'net.config': cause('net', '网络参数错误', 'network settings wrong', 'faulty',
    ['检查APN、DNS、代理和路由器设置', '恢复已知正常的网络配置'],
    ['Check the APN, DNS, proxy and router settings', 'Restore the known good network profile']),
  'net.host_slow': cause('net', '主机响应慢', 'payment host slow', 'degraded',
    ['终端无需处理', '告知商户', '向主机运营方反映'],
    ['Nothing to fix on the terminal', 'Tell the merchant', 'Raise it with the host operator'],
    { external: true }),
  'net.carrier_outage': cause('net', '运营商网络故障', 'carrier outage', 'offline',
    ['终端无需处理', '能切换网络的改用Wi-Fi或有线', '等待并持续观察'],
    ['Nothing to fix on the terminal', 'Switch bearer (Wi-Fi, ethernet) where possible', 'Wait and watch'],
    { external: true }),
  'contract.expired': cause('net', '到期断网', 'SIM plan or lease expired', 'offline',
    ['办理续期（SIM卡套餐或租赁合同）', '检查续期提醒为何没有提前送达'],
    ['Renew the SIM plan or the lease', 'Check why the renewal reminders did not come in time']),
  'acct.merchant_setup': cause('acct', '商户/账户信息错误', 'merchant or account setup wrong', 'faulty',
    ['与收单机构核对绑定的结算账户和商户登记信息'],
    ['Check the bound settlement account and the merchant registration with the acquirer']),
  'acct.limit_exceeded': cause('acct', '超出交易限额', 'transaction limit reached', 'degraded',
    ['向商户说明限额', '申请提高限额', '引导顾客使用其他支付方式'],
    ['Explain the limit to the merchant', 'Apply for a higher limit', 'Split across payment methods']),
  'op.input_error': cause('acct', '操作输入错误', 'operator input mistakes', 'degraded',
    ['培训该操作员正确输入金额、卡号和密码'],
    ['Train the operator to enter amounts, card numbers and PINs correctly']),
  'op.card_handling': cause('acct', '插卡/挥卡方式不当', 'cards read wrongly by one operator', 'degraded',
    ['演示正确的插卡和挥卡方式：芯片朝上、插到底、挥卡停留一秒', '对该操作员进行培训'],
    ['Show the right way to insert and tap: chip up, all the way in, hold the card for a second', 'Train the operator']),
  'provider.maintenance': cause('provider', '支付系统维护', 'payment provider maintenance', 'faulty',
    ['终端无需处理', '告知商户维护结束时间'],
    ['Nothing to fix on the terminal', 'Tell merchants when the maintenance ends'],
    { external: true }),
  'provider.issuer_down': cause('provider', '发卡行系统故障', 'one issuer unavailable', 'degraded',
    ['不是终端的问题', '请持卡人换一张其他银行的卡'],
    ['Not the terminal', 'Ask the cardholder for a card of another bank'],
    { external: true }),
  'env.overheat': cause('env', '环境温度过高', 'too hot', 'degraded',
    ['将终端移出阳光直射处、远离热源', '保持通风'],
    ['Move the terminal out of the sun and away from heat', 'Ventilate']),
  'env.humidity': cause('env', '环境过于潮湿', 'too humid', 'degraded',
    ['保持干燥', '将终端移到干燥处'],
    ['Keep it dry', 'Move the terminal somewhere drier']),
  'sec.tamper': cause('sec', '防拆报警', 'tamper alarm', 'locked',
    ['立即停止使用：远程锁定终端', '向收单机构/银行报告', '安排现场检查'],
    ['Stop using it at once: lock the terminal remotely', 'Report to the acquirer / bank', 'Field inspection'],
    { workOrder: true }),
} as const satisfies Record<string, Entry>;

export type CauseCode = keyof typeof CATALOGUE;

export const CAUSE_CODES = Object.keys(CATALOGUE) as CauseCode[];

export const CAUSES: Readonly<Record<CauseCode, CauseInfo>> = Object.freeze(
  Object.fromEntries(CAUSE_CODES.map((code) => [code, { code, ...CATALOGUE[code] }])) as Record<CauseCode, CauseInfo>,
);

export function isCauseCode(x: unknown): x is CauseCode {
  return typeof x === 'string' && Object.hasOwn(CATALOGUE, x);
}

export function causeInfo(code: CauseCode): CauseInfo {
  return CAUSES[code];
}
