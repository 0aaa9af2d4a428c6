using CommerceOS.Core.Generation;
using NetVips;

namespace CommerceOS.Engines.Imaging.Graphics;

/// <summary>Where one callout goes: its badge, its text box (the text never leaves it), the card behind it (Grid).</summary>
public sealed record CalloutSlot(PixelBox Badge, PixelBox Text, Enums.Align Align, PixelBox? Card);

/// <summary>The boxes of an infographic; public so tests can check that every ink pixel stays inside its box.</summary>
public sealed record InfographicPlan(PixelBox Title, Enums.Align TitleAlign, PixelBox Product, IReadOnlyList<CalloutSlot> Callouts, int Margin);

/// <summary>
/// Pure layout maths for the three infographic layouts at any size: proportions scale with the short
/// side, and each layout turns from side-by-side to stacked when the frame is portrait.
/// </summary>
public static class InfographicGeometry
{
    /// <summary>Callouts beyond this many would be too small to read at detail-image sizes.</summary>
    public const int MaxCallouts = 8;

    public static InfographicPlan Plan(InfographicLayout layout, int width, int height, int callouts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 64);
        var n = Math.Clamp(callouts, 0, MaxCallouts);
        var s = Math.Min(width, height);
        var margin = Round(0.05 * s);
        var gap = Round(0.03 * s);
        var aspect = (double)width / height;
        var titleHeight = Round(height * (aspect >= 1.6 ? 0.16 : 0.12));
        var title = new PixelBox(margin, margin, width - (2 * margin), titleHeight);
        var content = new PixelBox(margin, margin + titleHeight + gap, width - (2 * margin), height - (2 * margin) - titleHeight - gap);
        if (n == 0)
        {
            return new InfographicPlan(title, Enums.Align.Centre, content, [], margin);
        }

        return layout switch
        {
            InfographicLayout.Split => Split(title, content, n, s, gap, margin),
            InfographicLayout.Radial => Radial(title, content, n, s, gap, margin),
            InfographicLayout.Grid => Grid(title, content, n, s, gap, margin),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, null),
        };
    }

    private static InfographicPlan Split(PixelBox title, PixelBox content, int n, int s, int gap, int margin)
    {
        PixelBox product, column;
        if (content.Width >= content.Height * 0.9)
        {
            var productWidth = Round(content.Width * 0.46);
            product = content with { Width = productWidth };
            column = new PixelBox(content.X + productWidth + gap, content.Y, content.Width - productWidth - gap, content.Height);
        }
        else
        {
            var productHeight = Round(content.Height * 0.46);
            product = content with { Height = productHeight };
            column = new PixelBox(content.X, content.Y + productHeight + gap, content.Width, content.Height - productHeight - gap);
        }

        return new InfographicPlan(title, Enums.Align.Low, product, [.. Rows(column, n, s, gap, badgeOnRight: false)], margin);
    }

    private static InfographicPlan Radial(PixelBox title, PixelBox content, int n, int s, int gap, int margin)
    {
        var productWidth = Round(content.Width * (content.Width >= content.Height ? 0.40 : 0.34));
        var side = (content.Width - productWidth - (2 * gap)) / 2;
        var left = new PixelBox(content.X, content.Y, side, content.Height);
        var product = new PixelBox(content.X + side + gap, content.Y, productWidth, content.Height);
        var right = new PixelBox(product.Right + gap, content.Y, content.Right - product.Right - gap, content.Height);
        var leftCount = (n + 1) / 2;
        // Badges face the product so the leader lines stay short and never cross text.
        var slots = Rows(left, leftCount, s, gap, badgeOnRight: true).Concat(Rows(right, n - leftCount, s, gap, badgeOnRight: false)).ToList();
        return new InfographicPlan(title, Enums.Align.Centre, product, slots, margin);
    }

    private static InfographicPlan Grid(PixelBox title, PixelBox content, int n, int s, int gap, int margin)
    {
        PixelBox product, grid;
        if (content.Width > content.Height * 1.25)
        {
            var productWidth = Round(content.Width * 0.38);
            product = content with { Width = productWidth };
            grid = new PixelBox(content.X + productWidth + gap, content.Y, content.Width - productWidth - gap, content.Height);
        }
        else
        {
            var productHeight = Round(content.Height * 0.42);
            product = content with { Height = productHeight };
            grid = new PixelBox(content.X, content.Y + productHeight + gap, content.Width, content.Height - productHeight - gap);
        }

        // The column count whose cards come closest to a 2.2:1 landscape card (room for a badge beside 2-3 lines).
        var columns = Enumerable.Range(1, Math.Min(n, 4))
            .OrderBy(c =>
            {
                var rows = (n + c - 1) / c;
                var cardWidth = (grid.Width - ((c - 1) * gap)) / (double)c;
                var cardHeight = (grid.Height - ((rows - 1) * gap)) / (double)rows;
                return Math.Abs(Math.Log(cardWidth / cardHeight / 2.2));
            })
            .First();
        var rowCount = (n + columns - 1) / columns;
        var cardW = (grid.Width - ((columns - 1) * gap)) / columns;
        var cardH = (grid.Height - ((rowCount - 1) * gap)) / rowCount;
        var slots = new List<CalloutSlot>(n);
        for (var i = 0; i < n; i++)
        {
            var row = i / columns;
            var inRow = Math.Min(columns, n - (row * columns));
            // A short last row is centred under the full ones.
            var offset = (grid.Width - ((inRow * cardW) + ((inRow - 1) * gap))) / 2;
            var card = new PixelBox(grid.X + offset + ((i % columns) * (cardW + gap)), grid.Y + (row * (cardH + gap)), cardW, cardH);
            slots.Add(CardSlot(card, s));
        }

        return new InfographicPlan(title, Enums.Align.Centre, product, slots, margin);
    }

    private static CalloutSlot CardSlot(PixelBox card, int s)
    {
        var pad = Math.Max(4, Math.Min(Round(Math.Min(card.Width, card.Height) * 0.12), Round(s * 0.03)));
        if (card.Width >= card.Height * 1.3)
        {
            var d = Math.Max(8, Math.Min(Math.Min(card.Height - (2 * pad), Round(card.Width * 0.2)), Round(s * 0.065)));
            var between = Round(d * 0.35);
            var badge = new PixelBox(card.X + pad, card.Y + ((card.Height - d) / 2), d, d);
            var text = new PixelBox(badge.Right + between, card.Y + pad, card.Right - pad - badge.Right - between, card.Height - (2 * pad));
            return new CalloutSlot(badge, text, Enums.Align.Low, card);
        }
        else
        {
            var d = Math.Max(8, Math.Min(Math.Min(Round(card.Width * 0.25), Round(card.Height * 0.3)), Round(s * 0.065)));
            var between = Round(d * 0.3);
            var badge = new PixelBox(card.X + pad, card.Y + pad, d, d);
            var text = new PixelBox(card.X + pad, badge.Bottom + between, card.Width - (2 * pad), card.Bottom - pad - badge.Bottom - between);
            return new CalloutSlot(badge, text, Enums.Align.Low, card);
        }
    }

    /// <summary><paramref name="n"/> equal rows down <paramref name="column"/>, each a badge and a text box beside it.</summary>
    private static IEnumerable<CalloutSlot> Rows(PixelBox column, int n, int s, int gap, bool badgeOnRight)
    {
        if (n == 0)
        {
            yield break;
        }

        var rowGap = Round(gap * 0.6);
        var rowHeight = (column.Height - ((n - 1) * rowGap)) / n;
        var d = Math.Max(8, Math.Min(Math.Min(Round(rowHeight * 0.7), Round(s * 0.07)), Round(column.Width * 0.16)));
        var between = Round(d * 0.35);
        for (var i = 0; i < n; i++)
        {
            var y = column.Y + (i * (rowHeight + rowGap));
            var badgeY = y + ((rowHeight - d) / 2);
            var textWidth = column.Width - d - between;
            yield return badgeOnRight
                ? new CalloutSlot(new PixelBox(column.Right - d, badgeY, d, d), new PixelBox(column.X, y, textWidth, rowHeight), Enums.Align.High, null)
                : new CalloutSlot(new PixelBox(column.X, badgeY, d, d), new PixelBox(column.X + d + between, y, textWidth, rowHeight), Enums.Align.Low, null);
        }
    }

    private static int Round(double value) => (int)Math.Round(value, MidpointRounding.AwayFromZero);
}
