using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommerceOS.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ImageStudio : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CheckpointJson",
                table: "Jobs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ComplianceJson",
                table: "Assets",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Marketplace",
                table: "Assets",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OutputKey",
                table: "Assets",
                type: "character varying(80)",
                maxLength: 80,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ProductId",
                table: "Assets",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProvenanceJson",
                table: "Assets",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Skill",
                table: "Assets",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SourceAssetId",
                table: "Assets",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Assets_JobId_OutputKey",
                table: "Assets",
                columns: new[] { "JobId", "OutputKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Assets_WorkspaceId_ProductId_CreatedAt",
                table: "Assets",
                columns: new[] { "WorkspaceId", "ProductId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Assets_JobId_OutputKey",
                table: "Assets");

            migrationBuilder.DropIndex(
                name: "IX_Assets_WorkspaceId_ProductId_CreatedAt",
                table: "Assets");

            migrationBuilder.DropColumn(
                name: "CheckpointJson",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "ComplianceJson",
                table: "Assets");

            migrationBuilder.DropColumn(
                name: "Marketplace",
                table: "Assets");

            migrationBuilder.DropColumn(
                name: "OutputKey",
                table: "Assets");

            migrationBuilder.DropColumn(
                name: "ProductId",
                table: "Assets");

            migrationBuilder.DropColumn(
                name: "ProvenanceJson",
                table: "Assets");

            migrationBuilder.DropColumn(
                name: "Skill",
                table: "Assets");

            migrationBuilder.DropColumn(
                name: "SourceAssetId",
                table: "Assets");
        }
    }
}
