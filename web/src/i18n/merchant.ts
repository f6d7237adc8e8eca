// Plain-language texts for merchants, one per cause code: what is wrong, and what to do now, step by step.
// No jargon: a shop owner reads these on the merchant page. Chinese first; English for English-speaking staff.

export interface MerchantText {
  problem: string;
  steps: string[];
}

type Texts = Record<string, MerchantText>;

export const MERCHANT_ZH: Texts = {
  'hw.chip_reader': { problem: '插卡读不出来，刷卡或挥卡可能还能用。', steps: ['请将卡片正面朝上、芯片朝里插入，一直插到底', '用干净的软布轻轻擦一下插卡口', '请顾客先改用挥卡或扫码付款', '还是不行：我们会安排人上门维修'] },
  'hw.contactless_reader': { problem: '挥卡（碰一下）付款读不出来，插卡还能用。', steps: ['把机器旁边的金属物品、手机、充电器挪开', '关机再开机', '请顾客先改用插卡付款', '还是不行：我们会安排人上门维修'] },
  'hw.magstripe_reader': { problem: '刷卡（划卡）读不出来。', steps: ['请顾客改用插卡或挥卡付款', '用干净的软布擦一下刷卡槽', '还是不行：我们会安排人上门维修'] },
  'hw.printer': { problem: '小票打印机出了故障，收款可以正常进行。', steps: ['关机，等 10 分钟让打印机凉下来', '打开纸仓，取出卡住的纸，再合上', '还是打不出：我们会安排人上门维修'] },
  'hw.printer_paper': { problem: '打印纸用完了，或者纸仓盖没有合好。', steps: ['打开纸仓盖，放入新的打印纸卷，纸头朝外', '用力按下纸仓盖，听到"咔哒"一声', '打印一张测试小票'] },
  'hw.screen': { problem: '屏幕不亮或显示不正常。', steps: ['长按电源键关机，再开机', '还是不亮：我们会安排人上门维修'] },
  'hw.keypad': { problem: '按键不灵，输密码可能会超时。', steps: ['用干布擦干净按键', '关机再开机', '还是不灵：我们会安排人上门维修'] },
  'hw.battery': { problem: '电池老化，不插电很快就没电。', steps: ['营业时请一直插着充电器', '我们会安排更换电池'] },
  'hw.power': { problem: '机器开不了机。', steps: ['检查电源线和插座是否插好、插座是否有电', '换一个插座再试', '还是开不了：我们会安排人上门维修'] },
  'sw.crash_loop': { problem: '收款软件反复闪退或卡死。', steps: ['关机再开机', '还是闪退：请联系客服，我们会远程帮您重装收款软件', '不要自己恢复出厂设置'] },
  'sw.app_conflict': { problem: '最近安装的其他应用影响了收款软件。', steps: ['卸载最近新装的应用', '关机再开机'] },
  'sw.outdated': { problem: '机器里的软件版本太旧，需要升级。', steps: ['保持机器开机并连着网络', '我们会远程推送升级，升级时请不要关机'] },
  'sw.update_failed': { problem: '软件升级没有装好。', steps: ['保持机器开机并连着网络', '我们会远程重新升级，期间请不要关机'] },
  'sw.incompatible_update': { problem: '最近一次升级和这台机器不兼容。', steps: ['先不要再点升级', '我们正在远程退回到原来的版本，请保持开机联网'] },
  'sw.key_error': { problem: '机器的安全密钥失效了，暂时不能收款。', steps: ['不要恢复出厂设置', '请联系客服，我们会远程重新下载密钥（签到）'] },
  'sw.storage_full': { problem: '机器存储空间满了，可能变慢或出错。', steps: ['删除不用的应用和图片', '关机再开机'] },
  'sw.clock_skew': { problem: '机器的时间不对，连接银行会失败。', steps: ['在设置里打开"自动同步时间"', '关机再开机', '还是不对：请联系客服'] },
  'net.offline': { problem: '机器连不上网络。', steps: ['关机再开机', '重启店里的路由器', '检查网线或 SIM 卡是否插好', '还是连不上：我们会安排人上门'] },
  'net.weak_signal': { problem: '网络信号弱，收款时会时好时坏。', steps: ['把机器挪到靠近窗户或信号好的地方', '有 Wi-Fi 或网线的话，改用 Wi-Fi 或网线'] },
  'net.config': { problem: '机器的网络设置不对。', steps: ['如果最近改过网络设置或换过路由器，请改回原来的设置', '请联系客服，我们会远程恢复网络配置'] },
  'net.host_slow': { problem: '银行那边处理得慢，不是您机器的问题。', steps: ['收款时请多等几秒，不要重复刷卡', '我们已经在跟进，恢复后会通知您'] },
  'net.carrier_outage': { problem: '您所在地区的手机网络出了故障，不是您机器的问题。', steps: ['有 Wi-Fi 或网线的话，先改用 Wi-Fi 或网线', '请顾客先用扫码等其他方式付款', '网络恢复后会自动连上，我们会持续关注'] },
  'contract.expired': { problem: '流量卡套餐或租机合同到期了，所以断网。', steps: ['请联系客服或您的服务商办理续期', '续期后机器会自动恢复联网'] },
  'acct.merchant_setup': { problem: '您的商户或结算账户信息有误，交易被银行拒绝。', steps: ['请联系您的服务商核对商户信息和结算账户'] },
  'acct.limit_exceeded': { problem: '今天的收款已经到了限额。', steps: ['请顾客改用其他付款方式', '需要更高额度：请联系您的服务商申请提额'] },
  'op.input_error': { problem: '收银员输入金额、卡号或密码时常常出错。', steps: ['收款前请核对金额', '请顾客自己输入密码，输完按"确认"', '需要的话我们可以安排培训'] },
  'op.card_handling': { problem: '某位收银员插卡或挥卡的方式不对，卡读不出来。', steps: ['请将卡片正面朝上插入，芯片朝里，一直插到底', '挥卡时把卡贴在屏幕上方的感应区停一秒', '需要的话我们可以安排培训'] },
  'provider.maintenance': { problem: '银行系统正在维护，暂时不能刷卡，不是您机器的问题。', steps: ['请顾客先用扫码等其他方式付款', '维护结束后会自动恢复'] },
  'provider.issuer_down': { problem: '某家银行的卡暂时刷不了，不是您机器的问题。', steps: ['请顾客换一张其他银行的卡'] },
  'env.overheat': { problem: '机器太热了，可能会重启或读卡失败。', steps: ['把机器移到阴凉处，避免阳光直晒', '远离烤炉、暖气等热源'] },
  'env.humidity': { problem: '周围太潮湿，机器容易出错。', steps: ['把机器放到干燥的地方', '不要放在水池或蒸汽旁边'] },
  'sec.tamper': { problem: '机器触发了防拆报警，为了安全已经停止收款。', steps: ['请立即停止使用这台机器', '不要自己打开或维修', '我们会联系您并安排人员上门检查'] },
};

export const MERCHANT_EN: Texts = {
  'hw.chip_reader': { problem: 'Inserted cards cannot be read; swipe or tap may still work.', steps: ['Insert the card face up, chip first, all the way in', 'Wipe the card slot gently with a clean soft cloth', 'Ask customers to tap or scan to pay for now', 'Still not working: we will send someone to repair it'] },
  'hw.contactless_reader': { problem: 'Tap-to-pay does not work; inserting the card still works.', steps: ['Move metal objects, phones and chargers away from the terminal', 'Switch it off and on again', 'Ask customers to insert their card for now', 'Still not working: we will send someone to repair it'] },
  'hw.magstripe_reader': { problem: 'Swiped cards cannot be read.', steps: ['Ask customers to insert or tap their card', 'Wipe the swipe slot with a clean soft cloth', 'Still not working: we will send someone to repair it'] },
  'hw.printer': { problem: 'The receipt printer is broken; taking payments still works.', steps: ['Switch off and let the printer cool for 10 minutes', 'Open the paper cover, remove jammed paper, close it', 'Still not printing: we will send someone to repair it'] },
  'hw.printer_paper': { problem: 'The paper has run out, or the paper cover is not closed.', steps: ['Open the cover and put in a new paper roll, loose end out', 'Press the cover down until it clicks', 'Print a test receipt'] },
  'hw.screen': { problem: 'The screen is blank or shows garbage.', steps: ['Hold the power button to switch off, then switch on', 'Still blank: we will send someone to repair it'] },
  'hw.keypad': { problem: 'Keys do not respond well; PIN entry may time out.', steps: ['Wipe the keys with a dry cloth', 'Switch it off and on again', 'Still not working: we will send someone to repair it'] },
  'hw.battery': { problem: 'The battery is worn out and runs down quickly off the charger.', steps: ['Keep the terminal on its charger during business hours', 'We will arrange a new battery'] },
  'hw.power': { problem: 'The terminal does not switch on.', steps: ['Check the power cable and that the socket has power', 'Try another socket', 'Still dead: we will send someone to repair it'] },
  'sw.crash_loop': { problem: 'The payment app keeps closing or freezing.', steps: ['Switch it off and on again', 'Still crashing: call support, we will reinstall the app remotely', 'Do not factory-reset it yourself'] },
  'sw.app_conflict': { problem: 'An app installed recently disturbs the payment app.', steps: ['Uninstall the app you added recently', 'Switch it off and on again'] },
  'sw.outdated': { problem: 'The software on the terminal is too old.', steps: ['Keep the terminal on and connected', 'We will send the update; do not switch off while it installs'] },
  'sw.update_failed': { problem: 'A software update did not install.', steps: ['Keep the terminal on and connected', 'We will retry the update; do not switch off meanwhile'] },
  'sw.incompatible_update': { problem: 'The latest update does not work well on this terminal.', steps: ['Do not start any update yourself', 'We are rolling it back remotely; keep the terminal on and connected'] },
  'sw.key_error': { problem: 'The terminal\'s security keys stopped working; it cannot take payments.', steps: ['Do not factory-reset it', 'Call support: we will reload the keys remotely'] },
  'sw.storage_full': { problem: 'The terminal\'s storage is full, so it may be slow or fail.', steps: ['Delete apps and pictures you do not use', 'Switch it off and on again'] },
  'sw.clock_skew': { problem: 'The terminal\'s clock is wrong, so it cannot reach the bank.', steps: ['Turn on automatic time in the settings', 'Switch it off and on again', 'Still wrong: call support'] },
  'net.offline': { problem: 'The terminal cannot connect to the network.', steps: ['Switch it off and on again', 'Restart the shop\'s router', 'Check the network cable or SIM card', 'Still offline: we will send someone'] },
  'net.weak_signal': { problem: 'The mobile signal is weak, so payments sometimes fail.', steps: ['Move the terminal near a window or where the signal is better', 'Use Wi-Fi or a network cable if you have one'] },
  'net.config': { problem: 'The terminal\'s network settings are wrong.', steps: ['If you changed network settings or the router recently, change them back', 'Call support: we will restore the settings remotely'] },
  'net.host_slow': { problem: 'The bank is answering slowly. Your terminal is fine.', steps: ['Wait a few seconds for each payment; do not swipe twice', 'We are on it and will tell you when it is back to normal'] },
  'net.carrier_outage': { problem: 'The mobile network in your area is down. Your terminal is fine.', steps: ['Use Wi-Fi or a network cable if you have one', 'Ask customers to pay another way (e.g. QR code) for now', 'It reconnects by itself when the network is back'] },
  'contract.expired': { problem: 'The SIM plan or the lease has expired, so the network was cut.', steps: ['Call support or your provider to renew', 'The terminal reconnects by itself once renewed'] },
  'acct.merchant_setup': { problem: 'Your merchant or settlement account details are wrong, so the bank declines.', steps: ['Call your provider to check your merchant details and settlement account'] },
  'acct.limit_exceeded': { problem: 'Today\'s payment limit has been reached.', steps: ['Ask customers to pay another way', 'Need a higher limit: ask your provider'] },
  'op.input_error': { problem: 'A cashier often types amounts, card numbers or PINs wrongly.', steps: ['Check the amount before each payment', 'Let the customer type the PIN and press OK', 'We can arrange training if you like'] },
  'op.card_handling': { problem: 'One cashier inserts or taps cards the wrong way.', steps: ['Insert the card face up, chip first, all the way in', 'To tap, hold the card on the reader area for one second', 'We can arrange training if you like'] },
  'provider.maintenance': { problem: 'The bank\'s system is under maintenance. Your terminal is fine.', steps: ['Ask customers to pay another way (e.g. QR code) for now', 'Card payments come back by themselves when it ends'] },
  'provider.issuer_down': { problem: 'Cards of one bank cannot be used right now. Your terminal is fine.', steps: ['Ask the customer for a card of another bank'] },
  'env.overheat': { problem: 'The terminal is too hot; it may restart or fail to read cards.', steps: ['Move it out of the sun', 'Keep it away from ovens and heaters'] },
  'env.humidity': { problem: 'It is too damp around the terminal.', steps: ['Move it somewhere dry', 'Keep it away from sinks and steam'] },
  'sec.tamper': { problem: 'The terminal\'s tamper alarm went off; it stopped taking payments for safety.', steps: ['Stop using this terminal now', 'Do not open or repair it yourself', 'We will call you and send someone to inspect it'] },
};
