/// The style sheet of ``HTMLReport``: inline, no web fonts, light, readable printed.
///
/// Written without `>`, `&` or `<` so the page also parses as XML.
enum HTMLReportStyle {
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f3f4f6; color: #111827;
          font: 15px/1.55 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 880px; margin: 0 auto; padding: 32px 20px 48px; }
        header.page { margin-bottom: 24px; }
        header.page h1 { font-size: 28px; margin: 0 0 4px; letter-spacing: -0.01em; }
        header.page p { margin: 0; color: #4b5563; }
        .figures { display: -webkit-box; display: -webkit-flex; display: flex; -webkit-flex-wrap: wrap; flex-wrap: wrap; margin: 20px -6px 28px; }
        .figure { -webkit-box-flex: 1; -webkit-flex: 1 1 140px; flex: 1 1 140px; margin: 6px; background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 14px 16px; }
        .figure .label { font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: #6b7280; }
        .figure .value { font-size: 24px; font-weight: 650; margin-top: 2px; font-variant-numeric: tabular-nums; }
        .figure .detail { font-size: 12px; color: #6b7280; }
        .figure.verdict { border-color: #059669; background: #ecfdf5; }
        section { background: #fff; border: 1px solid #e5e7eb; border-radius: 12px; padding: 20px 24px; margin: 0 0 20px; }
        section h2 { font-size: 18px; margin: 0 0 12px; }
        section h3 { font-size: 15px; margin: 18px 0 6px; color: #374151; }
        p { margin: 10px 0; }
        p.note { color: #4b5563; font-size: 14px; }
        p.empty { color: #6b7280; font-style: italic; background: #f9fafb; border: 1px dashed #d1d5db; border-radius: 8px; padding: 14px; }
        .table { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 8px 0; }
        th, td { padding: 6px 10px; border-bottom: 1px solid #e5e7eb; text-align: left; vertical-align: top; white-space: nowrap; }
        th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: #6b7280; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.text { white-space: normal; overflow-wrap: anywhere; max-width: 520px; }
        tbody tr:hover { background: #f9fafb; }
        svg.chart { display: block; width: 100%; height: auto; margin: 8px 0 4px; font-family: inherit; }
        figure { margin: 12px 0 16px; }
        figcaption { font-size: 13px; color: #4b5563; }
        ul.examples { padding-left: 20px; }
        ul.examples li { margin: 4px 0; overflow-wrap: anywhere; }
        .tag { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 4px; background: #fef3c7; color: #92400e; margin-right: 6px; }
        .advice { font-size: 16px; }
        footer { color: #6b7280; font-size: 13px; text-align: center; margin-top: 28px; }
        @media print { body { background: #fff; } section { break-inside: avoid; } }
        """
}
