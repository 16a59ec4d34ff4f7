<?php
// Runs MediaWiki's own UzConverter (what Uzbek Wikipedia converts with) on a file, Cyrillic
// to Latin, for bench.py: php wikipedia_converter.php MEDIAWIKI_DIR INPUT > OUTPUT
// MediaWiki's LanguageConverter needs the whole wiki; UzConverter only needs what these
// two small stand-ins give it: translate() through its table, a ReplacementArray's strtr
// (which is what MediaWiki's ReplacementArray::replace does).

class ReplacementArray {
	private $data;
	public function __construct( $data = [] ) { $this->data = $data; }
	public function replace( $subject ) { return strtr( $subject, $this->data ); }
}

abstract class LanguageConverter {
	protected $mTables;
	public function translate( $text, $toVariant ) {
		if ( $this->mTables === null ) { $this->loadDefaultTables(); }
		return $this->mTables[$toVariant]->replace( $text );
	}
}

$mediawiki = $argv[1];
$source = "$mediawiki/includes/language/converters/UzConverter.php";
if ( !file_exists( $source ) ) { $source = "$mediawiki/languages/converters/UzConverter.php"; }
require $source;
$converter = new UzConverter();
$in = fopen( $argv[2], 'r' );
while ( ( $line = fgets( $in ) ) !== false ) {
	echo $converter->translate( $line, 'uz-latn' );
}
