// The simulated world's fixed catalogues: regions, carriers, terminal models, payment hosts,
// card issuers, third-party apps and shop types. Plain data, no behaviour.

export interface RegionSpec {
  name: string;
  /** Mean outdoor temperature (°C) and its day/night swing. */
  temp: number;
  swing: number;
  humidity: number;
  /** Signal quality offset (dB) of this region's cellular coverage. */
  signal: number;
  weight: number;
}

export const REGIONS: readonly RegionSpec[] = [
  { name: 'Shanghai', temp: 12, swing: 5, humidity: 68, signal: 4, weight: 14 },
  { name: 'Beijing', temp: 3, swing: 7, humidity: 40, signal: 3, weight: 13 },
  { name: 'Guangzhou', temp: 21, swing: 5, humidity: 72, signal: 2, weight: 12 },
  { name: 'Hangzhou', temp: 12, swing: 6, humidity: 70, signal: 2, weight: 10 },
  { name: 'Chengdu', temp: 11, swing: 4, humidity: 75, signal: -2, weight: 10 },
  { name: 'Wuhan', temp: 11, swing: 6, humidity: 70, signal: 0, weight: 10 },
  { name: 'Haikou', temp: 24, swing: 4, humidity: 80, signal: -4, weight: 8 },
  { name: "Xi'an", temp: 6, swing: 7, humidity: 50, signal: -1, weight: 7 },
  { name: 'Harbin', temp: -8, swing: 7, humidity: 60, signal: -3, weight: 5 },
  { name: 'Kunming', temp: 13, swing: 8, humidity: 60, signal: -5, weight: 6 },
];

export interface CarrierSpec {
  name: string;
  /** Mean RSSI (dBm) and latency added on 4g (ms). */
  rssi: number;
  latency: number;
  weight: number;
}

export const CARRIERS: readonly CarrierSpec[] = [
  { name: 'CMCC', rssi: -78, latency: 45, weight: 55 },
  { name: 'CUCC', rssi: -82, latency: 50, weight: 25 },
  { name: 'CTCC', rssi: -84, latency: 55, weight: 20 },
];

export interface ModelSpec {
  model: string;
  vendor: string;
  /** Firmware versions in rollout order; the last ones are current. */
  firmware: readonly string[];
  app: readonly string[];
  minFirmware: string;
  minApp: string;
  handheld: boolean;
  android: boolean;
  humiditySensor: boolean;
  /** Sends the optional txn fields mti/currency/timeout. */
  fullTxn: boolean;
  /** Vendor format: `ts` in local time with an offset and milliseconds, `stan` as a 6-digit string. */
  localTs?: boolean;
  appName: string;
  weight: number;
}

export const MODELS: readonly ModelSpec[] = [
  { model: 'A920', vendor: 'PAX', firmware: ['3.8.2', '3.9.0', '3.10.2', '3.12.0'], app: ['5.8.1', '5.9.4', '5.12.3'],
    minFirmware: '3.9.0', minApp: '5.9.0', handheld: true, android: true, humiditySensor: false, fullTxn: true, appName: 'paxpay', weight: 22 },
  { model: 'N910', vendor: 'Newland', firmware: ['1.3.9', '1.4.2', '1.6.0'], app: ['2.19.0', '2.20.1', '2.21.4'],
    minFirmware: '1.4.0', minApp: '2.20.0', handheld: true, android: true, humiditySensor: true, fullTxn: false, appName: 'nlpay', weight: 16 },
  { model: 'P2', vendor: 'SUNMI', firmware: ['2.2.9', '2.3.5', '2.4.0'], app: ['3.9.2', '4.0.6', '4.1.2'],
    minFirmware: '2.3.1', minApp: '4.0.0', handheld: true, android: true, humiditySensor: false, fullTxn: false, appName: 'sunmipay', weight: 16 },
  { model: 'K9', vendor: 'Centerm', firmware: ['7.1.4', '7.2.3', '7.10.1'], app: ['3.3.9', '3.4.2', '3.6.0'],
    minFirmware: '7.2.0', minApp: '3.4.0', handheld: false, android: false, humiditySensor: false, fullTxn: false, appName: 'posapp', weight: 24 },
  { model: 'A8', vendor: 'LANDI', firmware: ['5.0.1', '5.0.8', '5.1.2'], app: ['1.17.2', '1.18.5', '1.20.2'],
    minFirmware: '5.0.3', minApp: '1.18.0', handheld: true, android: true, humiditySensor: true, fullTxn: true, appName: 'landipay', weight: 14 },
  { model: 'V2', vendor: 'Verifone', firmware: ['9.4.0', '9.5.2', '9.12.1'], app: ['8.0.3', '8.1.0', '8.2.2'],
    minFirmware: '9.5.0', minApp: '8.1.0', handheld: false, android: false, humiditySensor: false, fullTxn: true, localTs: true, appName: 'vxpay', weight: 8 },
];

export interface HostSpec {
  host: string;
  /** Base round trip (ms) of the host itself. */
  rtt: number;
  weight: number;
}

export const HOSTS: readonly HostSpec[] = [
  { host: 'cup-main', rtt: 35, weight: 57 },
  { host: 'acq-main', rtt: 30, weight: 32 },
  { host: 'bank-dx1', rtt: 45, weight: 3.5 },
  { host: 'bank-dx2', rtt: 50, weight: 3.5 },
  { host: 'bank-zs', rtt: 40, weight: 4 },
];

export interface IssuerSpec {
  name: string;
  bins: readonly string[];
  weight: number;
}

export const ISSUERS: readonly IssuerSpec[] = [
  { name: 'ICBC', bins: ['622202', '622208', '621226', '621288'], weight: 20 },
  { name: 'CCB', bins: ['621700', '622700', '436742'], weight: 16 },
  { name: 'ABC', bins: ['622848', '622845', '103386'], weight: 14 },
  { name: 'BOC', bins: ['621661', '621663', '456351'], weight: 12 },
  { name: 'CMB', bins: ['622588', '621483', '410062'], weight: 10 },
  { name: 'BOCOM', bins: ['622260', '622262', '405512'], weight: 8 },
  { name: 'CEB', bins: ['622660', '622661', '622663'], weight: 3 },
  { name: 'CIB', bins: ['622909', '622908', '438588'], weight: 4 },
  { name: 'SPDB', bins: ['622521', '622522', '456418'], weight: 3 },
  { name: 'PSBC', bins: ['621096', '621098', '622150'], weight: 6 },
];

export const THIRD_PARTY_APPS: readonly string[] = [
  'meituan@12.3.1', 'eleme@11.0.5', 'dianping@11.2.0', 'koubei@7.1.3', 'douyin.life@2.8.0',
  'wechatwork@4.1.20', 'yunshanfu@9.2.1', 'membercard@1.4.2', 'invoice.helper@3.0.1', 'ecr.bridge@2.1.0',
];

/** Apps that conflict with payment apps when installed (sw.app_conflict). */
export const CONFLICTING_APPS: readonly string[] = ['screen.recorder@1.0.3', 'cleaner.pro@5.2.0', 'adblock.lite@0.9.8'];

export interface ShopType {
  kind: string;
  /** Typical amount in fen and the spread of a lognormal around it. */
  amount: number;
  /** Mean transactions per open hour at a normal shop. */
  rate: number;
  open: readonly [number, number];
  close: readonly [number, number];
  weight: number;
}

export const SHOP_TYPES: readonly ShopType[] = [
  { kind: '便利店', amount: 2500, rate: 9, open: [6, 8], close: [21, 23], weight: 18 },
  { kind: '奶茶', amount: 2200, rate: 8, open: [9, 11], close: [21, 23], weight: 10 },
  { kind: '餐厅', amount: 9000, rate: 5, open: [10, 11], close: [21, 23], weight: 16 },
  { kind: '超市', amount: 8000, rate: 12, open: [7, 9], close: [21, 22], weight: 10 },
  { kind: '药房', amount: 6000, rate: 3, open: [8, 9], close: [20, 22], weight: 8 },
  { kind: '服装店', amount: 30000, rate: 2, open: [9, 10], close: [21, 22], weight: 8 },
  { kind: '美容', amount: 25000, rate: 1.5, open: [10, 11], close: [20, 21], weight: 6 },
  { kind: '水果店', amount: 3500, rate: 5, open: [7, 9], close: [20, 22], weight: 8 },
  { kind: '加油站', amount: 30000, rate: 6, open: [0, 0], close: [24, 24], weight: 4 },
  { kind: '小卖部', amount: 1500, rate: 3, open: [7, 8], close: [20, 22], weight: 12 },
  { kind: '早餐店', amount: 1200, rate: 7, open: [5, 6], close: [11, 13], weight: 4 },
];

export const SURNAMES: readonly string[] = ['金家', '佳记', '万家', '老王', '福满', '兴隆', '百味', '鑫源', '德胜', '华联', '好又多', '家家乐'];
export const STREETS: readonly string[] = ['解放路', '文化路', '人民路', '中山路', '建设路', '和平街', '南京路', '长江路'];

/** Region names in Chinese for merchant names. */
export const REGION_ZH: Record<string, string> = {
  Shanghai: '上海', Beijing: '北京', Guangzhou: '广州', Hangzhou: '杭州', Chengdu: '成都', Wuhan: '武汉',
  Haikou: '海口', "Xi'an": '西安', Harbin: '哈尔滨', Kunming: '昆明',
};
