using CommerceOS.Core.Generation;
using NetVips;

namespace CommerceOS.Engines.Imaging.Graphics;

/// <summary>
/// A size chart: title, a header row in the brand colour, zebra rows, an optional note. Column widths
/// come from the measured text (longest cell of each column at a reference size), so long CJK or
/// English headers get the room they need and the font is as large as both width and height allow.
/// </summary>
internal static class SizeChartRenderer
{
    private const int ReferencePx = 64;

    /// <summary>Horizontal padding on each side of a cell, as a fraction of the font size.</summary>
    private const double PadFactor = 0.9;

    public static Image Render(SizeChartRequest request, VipsScope scope)
    {
        var palette = GraphicsPalette.From(request.Style);
        var heading = FontStacks.For(request.Style.HeadingFont);
        var body = FontStacks.For(request.Style.BodyFont);
        var (width, height) = (request.Width, request.Height);
        var s = Math.Min(width, height);
        var margin = (int)Math.Round(0.05 * s);
        var gap = (int)Math.Round(0.025 * s);
        var hasTitle = !GraphicsText.IsBlank(request.Title);
        var hasNote = !GraphicsText.IsBlank(request.Note);
        var titleHeight = hasTitle ? Math.Max(16, (int)Math.Round(height * 0.1)) : 0;
        var noteHeight = hasNote ? Math.Max(12, (int)Math.Round(height * 0.06)) : 0;

        var columnCount = Math.Max(1, Math.Max(request.Columns.Count, request.Rows.Count == 0 ? 0 : request.Rows.Max(r => r.Count)));
        var rows = new List<string[]> { Row(request.Columns, columnCount) };
        rows.AddRange(request.Rows.Select(r => Row(r, columnCount)));

        var tableWidth = width - (2 * margin);
        var tableSpace = height - (2 * margin) - (hasTitle ? titleHeight + gap : 0) - (hasNote ? noteHeight + gap : 0);
        var rowHeight = Math.Max(8, Math.Min(tableSpace / rows.Count, (int)Math.Round(s * 0.085)));
        var tableHeight = rowHeight * rows.Count;

        var headerStyle = new TextStyle(body, Bold: true, palette.HeaderText, Enums.Align.Centre, request.Language);
        var sizeStyle = new TextStyle(body, Bold: true, palette.Text, Enums.Align.Centre, request.Language);
        var cellStyle = new TextStyle(body, Bold: false, palette.Text, Enums.Align.Centre, request.Language);
        TextStyle StyleOf(int row, int column) => row == 0 ? headerStyle : column == 0 ? sizeStyle : cellStyle;

        // Widest cell of each column at the reference size; width scales linearly with the font size.
        var reference = new double[columnCount];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columnCount; c++)
            {
                if (!GraphicsText.IsBlank(rows[r][c]))
                {
                    using var measured = GraphicsText.Render(rows[r][c].Trim(), StyleOf(r, c), ReferencePx, wrapWidth: null);
                    reference[c] = Math.Max(reference[c], measured.Width);
                }
            }
        }

        var byHeight = rowHeight * 0.45;
        var byWidth = tableWidth / ((reference.Sum() / ReferencePx) + (2 * PadFactor * columnCount));
        var px = Math.Max(6, (int)Math.Floor(Math.Min(byHeight, byWidth)));
        var pad = PadFactor * px;
        var natural = reference.Select(w => (w * px / ReferencePx) + (2 * pad)).ToArray();
        var spare = tableWidth - natural.Sum();
        // Spare room is shared equally (even columns look calmer); a deficit (tiny frames) shrinks them in proportion.
        var widths = spare >= 0 ? natural.Select(w => w + (spare / columnCount)).ToArray() : natural.Select(w => w * tableWidth / natural.Sum()).ToArray();
        var edges = new int[columnCount + 1];
        edges[0] = margin;
        for (var c = 0; c < columnCount; c++)
        {
            edges[c + 1] = c == columnCount - 1 ? margin + tableWidth : margin + (int)Math.Round(widths.Take(c + 1).Sum());
        }

        var block = (hasTitle ? titleHeight + gap : 0) + tableHeight + (hasNote ? gap + noteHeight : 0);
        var top = Math.Max(margin, (height - block) / 2);
        var tableTop = top + (hasTitle ? titleHeight + gap : 0);

        var svg = new SvgLayer(width, height).Rect(0, 0, width, height, palette.Surface);
        svg.Rect(margin, tableTop, tableWidth, rowHeight, palette.Primary);
        for (var r = 1; r < rows.Count; r++)
        {
            if (r % 2 == 1)
            {
                svg.Rect(margin, tableTop + (r * rowHeight), tableWidth, rowHeight, palette.Zebra);
            }
        }

        var line = Math.Max(1, s * 0.0015);
        for (var c = 1; c < columnCount; c++)
        {
            svg.Line(edges[c], tableTop + rowHeight, edges[c], tableTop + tableHeight, palette.Border, line);
        }

        svg.StrokeRect(margin + (line / 2), tableTop + (line / 2), tableWidth - line, tableHeight - line, palette.Border, line);
        var canvas = scope.Add(svg.Render());

        var layers = new List<(Image Image, int X, int Y)>();
        if (hasTitle)
        {
            var titleStyle = new TextStyle(heading, Bold: true, palette.Title, Enums.Align.Centre, request.Language);
            var title = GraphicsText.Fit(request.Title, titleStyle, tableWidth, titleHeight, Math.Max(8, (int)(titleHeight * 0.6)), Math.Max(8, titleHeight / 5));
            Add(title, new PixelBox(margin, top, tableWidth, titleHeight), Enums.Align.Centre);
        }

        var innerPad = (int)Math.Ceiling(pad * 0.5);
        var verticalPad = Math.Max(1, rowHeight / 10);
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columnCount; c++)
            {
                var cell = new PixelBox(edges[c] + innerPad, tableTop + (r * rowHeight) + verticalPad, edges[c + 1] - edges[c] - (2 * innerPad), rowHeight - (2 * verticalPad));
                Add(GraphicsText.Fit(rows[r][c], StyleOf(r, c), cell.Width, cell.Height, px, Math.Max(6, px * 2 / 3)), cell, Enums.Align.Centre);
            }
        }

        if (hasNote)
        {
            var noteStyle = new TextStyle(body, Bold: false, palette.Muted, Enums.Align.Low, request.Language);
            var noteBox = new PixelBox(margin, tableTop + tableHeight + gap, tableWidth, noteHeight);
            Add(GraphicsText.Fit(request.Note!, noteStyle, noteBox.Width, noteBox.Height, Math.Max(8, Math.Min(px, noteHeight / 2)), 6), noteBox, Enums.Align.Low);
        }

        return LocalGraphicsRenderer.Compose(canvas, layers, scope);

        void Add(FittedText? text, PixelBox box, Enums.Align align)
        {
            if (text is not null)
            {
                scope.Add(text.Image);
                layers.Add((text.Image, LocalGraphicsRenderer.Place(box, text.Width, align), LocalGraphicsRenderer.Centre(box.Y, box.Height, text.Height)));
            }
        }
    }

    private static string[] Row(IReadOnlyList<string> cells, int count) =>
        [.. Enumerable.Range(0, count).Select(i => i < cells.Count ? cells[i] ?? string.Empty : string.Empty)];
}
