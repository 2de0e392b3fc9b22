/**
 * Pin constraints generated from the board file, so pins live in one place: a PCF for nextpnr
 * (iCE40) and an XDC for Vivado (7-series). The copies committed beside each board.json are
 * checked against these by a test.
 */
import type { Board } from './schema.ts';

/** The board top's ports and the board pins they go to. */
export function pinMap(board: Board): [port: string, pin: string][] {
  const pins: [string, string][] = [
    ['clk_in', board.clock.pin],
    ['uart_rxd', board.uart.rx],
    ['uart_txd', board.uart.tx],
  ];
  if (board.reset) pins.push(['rst_n_in', board.reset.pin]);
  board.leds.pins.forEach((p, i) => pins.push([`led[${i}]`, p]));
  return pins;
}

const HEADER = (board: Board, comment: string) =>
  [
    `${comment} ${board.title}: pins of the board top, generated from hdl/boards/${board.name}/board.json`,
    `${comment} by \`evm-fpga build --board ${board.name}\`; edit the board file, not this one.`,
  ].join('\n');

/** nextpnr's PCF for an iCE40 board. */
export function pcf(board: Board): string {
  const lines = [HEADER(board, '#')];
  for (const [port, pin] of pinMap(board)) lines.push(`set_io ${port} ${pin}`);
  lines.push(`set_frequency clk_in ${board.clock.hz / 1e6}`);
  return `${lines.join('\n')}\n`;
}

/** Vivado's XDC for a 7-series board. */
export function xdc(board: Board): string {
  const std = board.ioStandard ?? 'LVCMOS33';
  const lines = [HEADER(board, '#')];
  for (const [port, pin] of pinMap(board)) {
    lines.push(`set_property -dict { PACKAGE_PIN ${pin} IOSTANDARD ${std} } [get_ports { ${port} }]`);
  }
  const period = (1e9 / board.clock.hz).toFixed(3);
  lines.push(`create_clock -name clk_in -period ${period} [get_ports { clk_in }]`);
  lines.push('# The UART and the LEDs are asynchronous to the design clock (the UART input is synchronised in uart_rx).');
  lines.push('set_false_path -from [get_ports { uart_rxd rst_n_in }]');
  lines.push('set_false_path -to [get_ports { uart_txd led[*] }]');
  lines.push('set_property CFGBVS VCCO [current_design]');
  lines.push('set_property CONFIG_VOLTAGE 3.3 [current_design]');
  return `${lines.join('\n')}\n`;
}
