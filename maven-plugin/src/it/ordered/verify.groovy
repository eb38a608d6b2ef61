// The safe twin: same locks, one order. The agent ran, the check passed, the reports say so.
def log = new File(basedir, 'build.log').text
def out = new File(basedir, 'target/lockdep4j')
assert log.contains('-javaagent:') && log.contains('-Xlog:jfr+startup=off')
assert log.contains('BUILD SUCCESS')
assert !log.contains('possible circular locking dependency')
assert !log.contains('Corrupted channel') : 'JFR wrote to the fork\'s stdout'
assert out.listFiles().findAll { it.name ==~ /hotspot-pid-\d+-.*\.jfr/ }.size() == 1
def text = new File(out, 'lockdep4j.txt').text
assert text.contains('Summary: no findings in 1 recording')
assert text.contains('com.example.bank.Bank.ledgerLock') || new File(out, 'lockdep4j.html').text.contains('com.example.bank.Bank.ledgerLock') : 'the locks were recorded'
assert new File(out, 'lockdep4j.sarif').isFile()
return true
