namespace CommerceOS.Core.Generation;

/// <summary>The Image Studio skills. Each run is one job metered against <see cref="Billing.Meters.Images"/>.</summary>
public enum ImageSkill
{
    Cutout = 0,
    MainImage = 1,
    Studio = 2,
    Scene = 3,
    Infographic = 4,
    SizeChart = 5,
    Variants = 6,
}

/// <summary>Studio backdrops: generated, coloured from the brand palette.</summary>
public enum StudioStyle
{
    Gradient = 0,
    Podium = 1,
    Surface = 2,
}

/// <summary>Infographic layouts.</summary>
public enum InfographicLayout
{
    /// <summary>Product on one side, a column of numbered callouts on the other.</summary>
    Split = 0,

    /// <summary>Product in the centre, callouts around it joined by leader lines.</summary>
    Radial = 1,

    /// <summary>Product on top, a grid of callout cards below.</summary>
    Grid = 2,
}
