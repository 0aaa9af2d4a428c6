using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommerceOS.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class FeatureGrants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "GrantedFeatures",
                table: "Subscriptions",
                type: "text",
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "GrantedFeatures",
                table: "Subscriptions");
        }
    }
}
