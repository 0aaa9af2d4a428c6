using CommerceOS.Core.Translation;

namespace CommerceOS.Tests.Translation;

public sealed class TermProtectorTests
{
    private static List<(ProtectedKind Kind, string Value)> Spans(string text, params string[] keep) =>
        TermProtector.Protect(text, keep).Spans.Select(s => (s.Kind, s.Value)).ToList();

    [Fact]
    public void Protect_FindsModelNumbersUnitsUrlsAndListedBrands()
    {
        var spans = Spans("Anker XR-500 blender, 500 ml jar, 12V motor, 3.5 mm jack, A1234 blade. See https://anker.example/xr-500.", "Anker");

        Assert.Equal(
            [
                (ProtectedKind.Term, "Anker"),
                (ProtectedKind.ModelNumber, "XR-500"),
                (ProtectedKind.Quantity, "500 ml"),
                (ProtectedKind.Quantity, "12V"),
                (ProtectedKind.Quantity, "3.5 mm"),
                (ProtectedKind.ModelNumber, "A1234"),
                (ProtectedKind.Url, "https://anker.example/xr-500"),
            ],
            spans);
    }

    [Theory]
    [InlineData("Size 30 x 40 cm", "30 x 40 cm")]
    [InlineData("容量500毫升的杯子", "500毫升")]
    [InlineData("Works from 5-40°C", "5-40°C")]
    [InlineData("a 2.4GHz radio", "2.4GHz")]
    public void Protect_QuantitiesInEveryWriting(string text, string quantity)
    {
        Assert.Contains((ProtectedKind.Quantity, quantity), Spans(text));
    }

    [Theory]
    [InlineData("Lasts 5 months in stock")]
    [InlineData("The 2nd edition is 3 times better")]
    [InlineData("Ankerage is not the brand")]
    public void Protect_LeavesOrdinaryWordsAlone(string text)
    {
        Assert.Empty(Spans(text, "Anker"));
    }

    [Fact]
    public void Protect_BrandNextToChinese_IsFoundWithoutSpaces()
    {
        Assert.Equal([(ProtectedKind.Term, "Anker")], Spans("Anker充电宝", "anker"));
    }

    [Fact]
    public void RenderAndRestore_RoundTripsWithPlaceholdersMovedByTheTranslator()
    {
        var text = TermProtector.Protect("XR-500 blender with 500 ml jar");
        var rendered = text.Render(PlaceholderStyle.Brackets);
        Assert.Equal("⟦0⟧ blender with ⟦1⟧ jar", rendered);

        // The translator reorders the placeholders, as Chinese word order does.
        var restored = text.Restore("带⟦1⟧杯的⟦0⟧搅拌机", PlaceholderStyle.Brackets);

        Assert.True(restored.IsComplete);
        Assert.Equal("带500 ml杯的XR-500搅拌机", restored.Text);
    }

    [Fact]
    public void Restore_ALostPlaceholder_IsReportedAndTheTextWithheld()
    {
        var text = TermProtector.Protect("XR-500 blender, 12V");

        var restored = text.Restore("<x id=\"0\"/> Mixer", PlaceholderStyle.XmlElement);

        Assert.False(restored.IsComplete);
        Assert.Null(restored.Text);
        Assert.Equal("12V", Assert.Single(restored.Lost).Value);
    }

    [Fact]
    public void Restore_AnInventedPlaceholder_IsReported()
    {
        var text = TermProtector.Protect("XR-500 blender");

        var restored = text.Restore("⟦0⟧ Mixer ⟦7⟧", PlaceholderStyle.Brackets);

        Assert.Null(restored.Text);
        Assert.Equal(["⟦7⟧"], restored.Unknown);
    }

    [Fact]
    public void Protect_ALiteralThatLooksLikeAPlaceholder_IsItselfProtected()
    {
        var text = TermProtector.Protect("Use ⟦0⟧ here with XR-500");

        Assert.Equal(["⟦0⟧", "XR-500"], text.Spans.Select(s => s.Value));
        Assert.Equal("Use ⟦0⟧ here with ⟦1⟧", text.Render(PlaceholderStyle.Brackets));
        Assert.Equal("Use ⟦0⟧ here with XR-500", text.Restore(text.Render(PlaceholderStyle.Brackets), PlaceholderStyle.Brackets).Text);
    }

    [Fact]
    public void Protect_MarkupOnlyWhenAsked()
    {
        Assert.Empty(TermProtector.Protect("<b>Soft</b> cotton").Spans);

        var masked = TermProtector.Protect("<b>Soft</b> cotton &amp; silk", maskMarkup: true);

        Assert.Equal(["<b>", "</b>", "&amp;"], masked.Spans.Select(s => s.Value));
        Assert.All(masked.Spans, s => Assert.Equal(ProtectedKind.Markup, s.Kind));
    }

    [Theory]
    [InlineData("XR-500", true)]
    [InlineData("500 ml, 12V", true)]
    [InlineData("https://shop.example/a", true)]
    [InlineData("XR-500 blender", false)]
    public void IsOnlyProtected_TrueWhenNoWordIsLeft(string text, bool expected)
    {
        Assert.Equal(expected, TermProtector.Protect(text).IsOnlyProtected);
    }
}
