using NetVips;

namespace CommerceOS.Tests.ImageStudio;

/// <summary>A seller-style product photo: a shaded bottle on a near-white, slightly uneven backdrop with a soft shadow.</summary>
internal static class StudioPhotos
{
    public static byte[] Bottle(int width = 900, int height = 1200, byte[]? colour = null)
    {
        colour ??= [200, 40, 50];
        using var xy = Image.Xyz(width, height);
        using var x = xy[0];
        using var y = xy[1];
        // Backdrop: 236..246 grey with a gentle vertical gradient, like paper sweep under soft light.
        using var backdrop = (y * (10.0 / height) + 236).Cast(Enums.BandFormat.Uchar);
        using var background = backdrop.Bandjoin([backdrop, backdrop]).Copy(interpretation: Enums.Interpretation.Srgb);

        // Bottle: a body ellipse-ish rectangle plus a neck, with horizontal shading.
        var cx = width / 2.0;
        var bodyW = width * 0.32;
        var bodyTop = height * 0.35;
        var bottom = height * 0.85;
        using var body = ((x - cx).Abs() < bodyW / 2) & (y > bodyTop) & (y < bottom);
        using var neck = ((x - cx).Abs() < bodyW / 6) & (y > height * 0.18) & (y <= bodyTop);
        using var mask = body | neck;
        using var shade = 1.0 - ((x - cx).Abs() / (bodyW / 2) * 0.35);
        using var red = (shade * colour[0]).Cast(Enums.BandFormat.Uchar);
        using var green = (shade * colour[1]).Cast(Enums.BandFormat.Uchar);
        using var blue = (shade * colour[2]).Cast(Enums.BandFormat.Uchar);
        using var paint = red.Bandjoin([green, blue]).Copy(interpretation: Enums.Interpretation.Srgb);

        // Soft contact shadow under the bottle.
        using var shadowShape = (((x - cx) / (bodyW * 0.7)).Pow(2) + ((y - bottom) / (height * 0.02)).Pow(2)) < 1;
        using var shadowSoft = shadowShape.Cast(Enums.BandFormat.Float).Gaussblur(height * 0.01);
        using var darken = 1.0 - (shadowSoft / 255.0 * 0.25);
        using var shadowed = (background * darken).Cast(Enums.BandFormat.Uchar);
        using var photo = mask.Ifthenelse(paint, shadowed);
        return photo.JpegsaveBuffer(q: 92);
    }
}
